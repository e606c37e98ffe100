using Registry.Core.Model;

namespace Registry.Cli.Infrastructure;

/// <summary>Reads a trust-roots file <c>{"registry","signer_set"}</c>, optionally checked against its pinned digest.</summary>
internal static class TrustRoots
{
    public static GenesisRecord Load(string path, string? pin)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage($"trust roots file '{path}' does not exist");
        }

        var bytes = File.ReadAllBytes(path);
        try
        {
            var digest = GenesisRecord.TrustRootsDigest(bytes);
            if (!string.IsNullOrEmpty(pin) && pin != digest.ToString())
            {
                throw new CliException(ExitCodes.VerificationFailed, $"trust roots '{path}' have digest {digest}, not the pinned {pin}");
            }

            return GenesisRecord.FromTrustRoots(bytes);
        }
        catch (FormatException ex)
        {
            throw CliException.Usage($"trust roots '{path}' are invalid: {ex.Message}");
        }
    }
}
