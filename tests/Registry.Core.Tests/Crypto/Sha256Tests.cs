using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Crypto;

public sealed class Sha256Tests
{
    [Fact]
    public void Hash_AnyInput_AgreesWithTheBcl()
    {
        PropertyCheck.Run(
            Prop.ForAll(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().ToArbitrary(), data =>
            {
                Span<byte> fast = stackalloc byte[32];
                Span<byte> managed = stackalloc byte[32];
                Core.Crypto.Sha256.Hash(data, fast);
                Core.Crypto.Sha256.HashManaged(data, managed);
                var expected = SHA256.HashData(data);
                return fast.SequenceEqual(expected) && managed.SequenceEqual(expected);
            }),
            maxTest: 500,
            endSize: 300);
    }

    [Fact]
    public void Hash_LargeInputAndBlockBoundaries_AgreeWithTheBcl()
    {
        var data = new byte[1 << 20];
        new Random(1).NextBytes(data);
        foreach (var length in new[] { 0, 55, 56, 63, 64, 65, 1000, data.Length })
        {
            var actual = new byte[32];
            Core.Crypto.Sha256.Hash(data.AsSpan(0, length), actual);
            Assert.Equal(SHA256.HashData(data.AsSpan(0, length)), actual);
        }
    }

    [Fact]
    public void Hash_FromManyThreadsAtOnce_AgreesWithTheBcl()
    {
        var inputs = Enumerable.Range(0, 2000).Select(i => BitConverter.GetBytes(i).Concat(new byte[i % 130]).ToArray()).ToArray();
        var results = new byte[inputs.Length][];
        Parallel.For(0, inputs.Length, i =>
        {
            results[i] = new byte[32];
            Core.Crypto.Sha256.Hash(inputs[i], results[i]);
        });
        Assert.All(Enumerable.Range(0, inputs.Length), i => Assert.Equal(SHA256.HashData(inputs[i]), results[i]));
    }
}
