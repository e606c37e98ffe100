using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Cli.Infrastructure;

/// <summary>Finds and reads signer key files (<c>ronctl keygen</c>'s format, <see cref="SignerKeyDocument"/>).</summary>
internal static class SignerKeys
{
    /// <summary>The key file for <paramref name="signer"/>: a path to a key file, or a signer id looked up as <c>&lt;key-dir&gt;/&lt;id&gt;.key</c>.</summary>
    public static string PathOf(CommandContext context, string signer)
    {
        var asPath = context.Env.ResolvePath(signer);
        if (File.Exists(asPath))
        {
            return asPath;
        }

        if (RegistryIds.IsValid(signer))
        {
            var inDir = Path.Combine(context.KeyDir, signer + ".key");
            if (File.Exists(inDir))
            {
                return inDir;
            }

            throw CliException.Usage($"no key file for signer '{signer}': neither '{asPath}' nor '{inDir}' exists (create one with 'ronctl keygen --id {signer}')");
        }

        throw CliException.Usage($"signer key file '{asPath}' does not exist");
    }

    /// <summary>Reads a key file; when <paramref name="expectedId"/> is a signer id, the file must be that signer's.</summary>
    public static (string SignerId, Ed25519SecretKey Key) Load(string path, string? expectedId)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var (id, key) = SignerKeyDocument.Parse(bytes);
            if (expectedId is not null && RegistryIds.IsValid(expectedId) && !File.Exists(expectedId) && id != expectedId)
            {
                key.Dispose();
                throw CliException.Usage($"key file '{path}' is signer '{id}', not '{expectedId}'");
            }

            return (id, key);
        }
        catch (FormatException ex)
        {
            throw CliException.Usage($"'{path}' is not a signer key file: {ex.Message}");
        }
        finally
        {
            Array.Clear(bytes);
        }
    }
}
