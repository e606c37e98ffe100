using FsCheck;

namespace Registry.Core.Tests.Support;

/// <summary>Runs an FsCheck property inside a [Fact], throwing (with the shrunk counter-example) on failure.</summary>
internal static class PropertyCheck
{
    public static void Run(Property property, int maxTest = 200, int endSize = 100) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithEndSize(endSize).WithQuietOnSuccess(true), property);
}
