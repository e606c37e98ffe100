namespace Registry.Core.Model;

/// <summary>The three kinds of descriptor (SPEC §1).</summary>
public enum DescriptorKind
{
    /// <summary><c>node</c>: requires <c>addr</c> (host:port) and <c>region</c>.</summary>
    Node,

    /// <summary><c>service</c>: requires <c>endpoints</c>; <c>region</c> is optional.</summary>
    Service,

    /// <summary><c>region</c>: requires <c>name</c>.</summary>
    Region,
}
