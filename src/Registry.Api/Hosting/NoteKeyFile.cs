using Registry.Configuration;
using Registry.Core.Transparency;

namespace Registry.Api.Hosting;

/// <summary>A C2SP note signing key read from the file a configuration key names (the log's keys, a witness's key).</summary>
internal static class NoteKeyFile
{
    /// <summary>Reads the Ed25519 note signing key in <paramref name="path"/>, which the option <paramref name="option"/> names.</summary>
    /// <exception cref="ConfigurationException">The file cannot be read or holds no note signing key.</exception>
    public static NoteSigner Read(string option, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"'{option}' ({path}) cannot be read: {ex.Message}", ex);
        }

        return NoteSigner.TryParse(text, out var signer)
            ? signer
            : throw new ConfigurationException($"'{option}' ({path}) does not hold an Ed25519 note signing key (PRIVATE+KEY+<name>+<key id>+<base64>)");
    }
}
