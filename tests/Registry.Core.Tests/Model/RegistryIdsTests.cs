using Registry.Core.Model;

namespace Registry.Core.Tests.Model;

public sealed class RegistryIdsTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("node:eu-1.a_b/c", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("A", false)]
    [InlineData("a b", false)]
    [InlineData("a\n", false)]
    [InlineData("ä", false)]
    [InlineData("a+b", false)]
    public void IsValid_Id_FollowsTheCharacterRule(string? id, bool valid) => Assert.Equal(valid, RegistryIds.IsValid(id));

    [Fact]
    public void IsValid_Length_IsOneTo128() =>
        Assert.Equal([true, false], new[] { new string('x', 128), new string('x', 129) }.Select(RegistryIds.IsValid));
}
