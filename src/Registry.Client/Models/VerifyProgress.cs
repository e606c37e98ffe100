namespace Registry.Client.Models;

/// <summary>Progress of a chain verification: <see cref="Verified"/> of <see cref="Total"/> records checked.</summary>
/// <param name="Verified">Records verified so far.</param>
/// <param name="Total">Records to verify (HEAD's version when the run started).</param>
public readonly record struct VerifyProgress(long Verified, long Total);
