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
                Span<byte> actual = stackalloc byte[32];
                Core.Crypto.Sha256.Hash(data, actual);
                return actual.SequenceEqual(SHA256.HashData(data));
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
    public void Hash_SameThreadAgain_StartsFromAFreshState()
    {
        // The per-thread context is reused: a hash must not carry anything over from the one before it.
        var first = new byte[32];
        var second = new byte[32];
        Core.Crypto.Sha256.Hash("abc"u8, first);
        Core.Crypto.Sha256.Hash("abc"u8, second);
        Assert.Equal(first, second);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(first));
    }

    [Fact]
    public void Hash_DestinationShorterThanADigest_Throws() =>
        Assert.Throws<ArgumentException>(() => Core.Crypto.Sha256.Hash("abc"u8, new byte[31]));

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
