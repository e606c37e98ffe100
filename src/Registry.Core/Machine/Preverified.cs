using System.Runtime.ExceptionServices;

namespace Registry.Core.Machine;

/// <summary>One item of an <see cref="ApprovalPreverifier"/> pipeline: the source item, its decoded event, and its pre-checked signatures.</summary>
/// <typeparam name="T">The source item (a log entry, a commit record).</typeparam>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed class Preverified<T>
{
    private readonly RegistryEvent? _event;
    private readonly ExceptionDispatchInfo? _decodeError;

    internal Preverified(T item, RegistryEvent? @event, ExceptionDispatchInfo? decodeError, PreverifiedApprovals approvals)
    {
        Item = item;
        _event = @event;
        _decodeError = decodeError;
        Approvals = approvals;
    }

    /// <summary>The source item.</summary>
    public T Item { get; }

    /// <summary>
    /// The decoded event. When decoding failed, reading this throws the decoder's own exception (with its original stack),
    /// at the point the sequential consumer reaches the item, so errors surface in the same order as without the pipeline.
    /// </summary>
    public RegistryEvent Event
    {
        get
        {
            _decodeError?.Throw();
            return _event!;
        }
    }

    /// <summary>The approval signatures checked in advance (<see cref="PreverifiedApprovals.None"/> when none were).</summary>
    public PreverifiedApprovals Approvals { get; }
}
