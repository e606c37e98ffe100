namespace Registry.Api.Storage;

/// <summary>
/// Fault injection for chaos drills (<c>ronctl chaos inject --fault=storage-latency --ms=N</c>): every
/// durable append is delayed by the given latency until cleared. Exposed only when <c>[chaos] enabled</c>.
/// </summary>
public interface IStorageFaults
{
    /// <summary>The latency added to each append now (zero when none).</summary>
    public TimeSpan AppendLatency { get; }

    /// <summary>Adds <paramref name="latency"/> to every append until <see cref="Clear"/>.</summary>
    public void InjectLatency(TimeSpan latency);

    /// <summary>Removes every injected fault.</summary>
    public void Clear();
}
