namespace Registry.Store.Log;

/// <summary>
/// A damaged end of the committed log, cut at the last valid entry when the log was opened.
/// </summary>
/// <remarks>
/// A tail is only cut when nothing valid follows the damage; damage followed by valid entries is corruption in
/// the middle of the log and stops start-up instead (<see cref="CorruptStoreException"/>).
/// </remarks>
/// <param name="File">The log segment file holding the first damaged byte.</param>
/// <param name="CutAt">The log address of the first damaged entry; the log now ends here.</param>
/// <param name="CommittedEnd">Where the commit record said the log ended.</param>
/// <param name="EntriesLost">How many entries the commit record counted beyond the cut.</param>
/// <param name="Cause">What was wrong with the first damaged entry.</param>
public sealed record TornTail(string File, long CutAt, long CommittedEnd, long EntriesLost, string Cause)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"torn tail cut at {CutAt} in {File} ({CommittedEnd - CutAt} bytes, {EntriesLost} entries lost): {Cause}";
}
