namespace Registry.Core.Model;

/// <summary>Identifier rules shared by descriptors, signers and the registry itself (SPEC §1).</summary>
public static class RegistryIds
{
    /// <summary>Longest identifier.</summary>
    public const int MaxLength = 128;

    /// <summary>True for 1-128 characters of <c>[a-z0-9:._/-]</c>.</summary>
    public static bool IsValid(string? id)
    {
        if (id is null || id.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or ':' or '.' or '_' or '/' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
