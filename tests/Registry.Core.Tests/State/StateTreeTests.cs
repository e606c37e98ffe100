using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.State;

public sealed class StateTreeTests
{
    [Fact]
    public void Root_EmptyTree_IsZero()
    {
        Assert.Equal(Digest.Zero, StateTree.Empty.Root);
        Assert.Empty(StateTree.Empty);
        Assert.Equal(0, StateTree.Empty.Count);
    }

    [Fact]
    public void Root_OneDescriptor_IsItsLeafHash()
    {
        var d = Given.Region("region:eu");
        var key = SHA256.HashData(Encoding.UTF8.GetBytes("region:eu"));

        var tree = StateTree.Empty.Put(d);

        Assert.Equal(new Digest(ReferenceRoot.Leaf(key, SHA256.HashData(d.CanonicalBytes))), tree.Root);
        Assert.Equal(new Digest(key), StateTree.KeyOf("region:eu"));
    }

    [Fact]
    public void Root_TwoDescriptors_BranchesWhereTheirKeysFirstDiffer()
    {
        var a = Given.Region("a");
        var b = Given.Region("b");
        var ka = SHA256.HashData("a"u8);
        var kb = SHA256.HashData("b"u8);
        var depth = Enumerable.Range(0, 256).First(i => ReferenceRoot.Bit(ka, i) != ReferenceRoot.Bit(kb, i));
        var (left, right) = ReferenceRoot.Bit(ka, depth) == 0 ? (a, b) : (b, a);
        var node = ReferenceRoot.Branch(LeafOf(left), LeafOf(right));
        for (var i = depth - 1; i >= 0; i--)
        {
            node = ReferenceRoot.Bit(ka, i) == 0 ? ReferenceRoot.Branch(node, new byte[32]) : ReferenceRoot.Branch(new byte[32], node);
        }

        Assert.Equal(new Digest(node), StateTree.Empty.Put(a).Put(b).Root);
        Assert.Equal(new Digest(node), StateTree.Empty.Put(b).Put(a).Root);
    }

    [Fact]
    public void Put_SameIdAgain_ReplacesWithoutGrowing()
    {
        var v1 = Given.Region("r", "one");
        var v2 = Given.Region("r", "two");
        var tree = StateTree.Empty.Put(Given.Region("other")).Put(v1);

        var replaced = tree.Put(v2);

        Assert.Equal(2, replaced.Count);
        Assert.True(replaced.TryGet("r", out var got));
        Assert.Same(v2, got);
        Assert.NotEqual(tree.Root, replaced.Root);
        Assert.Equal(ReferenceRoot.Of([Given.Region("other"), v2]), replaced.Root);
    }

    [Fact]
    public void Remove_AbsentId_ReturnsTheSameTree()
    {
        var tree = StateTree.Empty.Put(Given.Region("r"));
        Assert.Same(tree, tree.Remove("missing"));
        Assert.Same(StateTree.Empty, StateTree.Empty.Remove("missing"));
    }

    [Fact]
    public void Remove_LastDescriptor_GivesZeroRoot()
    {
        var tree = StateTree.Empty.Put(Given.Region("r")).Put(Given.Region("s")).Remove("r").Remove("s");
        Assert.Equal(Digest.Zero, tree.Root);
        Assert.Equal(0, tree.Count);
    }

    [Fact]
    public void TryGet_AbsentId_ReturnsFalse()
    {
        var tree = StateTree.Build(Enumerable.Range(0, 50).Select(i => Given.Region("r" + i)));
        Assert.False(tree.TryGet("r50", out _));
        Assert.True(tree.TryGet("r49", out var d));
        Assert.Equal("r49", d.Id);
    }

    [Fact]
    public void Build_DuplicateId_Throws() =>
        Assert.Throws<ArgumentException>(() => StateTree.Build([Given.Region("r", "a"), Given.Region("r", "b")]));

    [Fact]
    public void GetEnumerator_Tree_YieldsEveryDescriptorInKeyOrder()
    {
        var all = Enumerable.Range(0, 100).Select(i => Given.Region("r" + i)).ToList();
        var listed = StateTree.Build(all).ToList();
        Assert.Equal(all.Select(d => d.Id).Order(StringComparer.Ordinal), listed.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(listed.Select(d => StateTree.KeyOf(d.Id)).Order(), listed.Select(d => StateTree.KeyOf(d.Id)));
    }

    [Fact]
    public void KeyOf_VeryLongId_DoesNotExhaustTheStack()
    {
        // Ids from a URL are not length-checked before a lookup; a 4 MB id must be an ordinary miss.
        var id = new string('x', 4 << 20);
        var tree = StateTree.Empty.Put(Given.Region("r"));
        Assert.False(tree.TryGet(id, out _));
        Assert.Null(tree.Prove(id));
        Assert.Equal(new Digest(SHA256.HashData(Encoding.UTF8.GetBytes(id))), StateTree.KeyOf(id));
    }

    [Fact]
    public void Put_NewDescriptor_SharesUntouchedSubtreeAndLeavesOldTreeIntact()
    {
        var all = Enumerable.Range(0, 64).Select(i => Given.Region("r" + i)).ToList();
        var before = StateTree.Build(all);
        var rootBefore = before.Root;
        var added = Enumerable.Range(0, 1000).Select(i => "new" + i).First(id => StateTree.KeyOf(id).Bit(0) == 0);

        var after = before.Put(Given.Region(added));

        Assert.Equal(rootBefore, before.Root);
        Assert.False(before.TryGet(added, out _));
        Assert.Equal(64, before.Count);
        Assert.Equal(65, after.Count);

        // The new key goes left at the root, so the right subtree is the very same object in both versions.
        Assert.Same(Child(RootNode(before), "Right"), Child(RootNode(after), "Right"));
        Assert.NotSame(Child(RootNode(before), "Left"), Child(RootNode(after), "Left"));
    }

    private static byte[] LeafOf(Descriptor d) => ReferenceRoot.Leaf(SHA256.HashData(Encoding.UTF8.GetBytes(d.Id)), SHA256.HashData(d.CanonicalBytes));

    private static object RootNode(StateTree tree) =>
        typeof(StateTree).GetField("_root", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(tree)!;

    private static object Child(object branch, string side) => branch.GetType().GetProperty(side)!.GetValue(branch)!;
}
