using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Registry.Core.Crypto;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.Transparency;
using Registry.Testing;
using Registry.Api.Tests.Support;

namespace Registry.Api.Tests;

/// <summary>
/// The transparency log of a real process (SPEC §10): the checkpoint at <c>/registry/tlog/checkpoint</c> is a C2SP
/// signed note by the configured log key whose size is HEAD + 1, its C2SP tiles and entry bundles recombine to its
/// root and hold the chain's commit hashes, and the tree is the same after SIGKILL and a restart.
/// </summary>
public sealed class TransparencyLogTests
{
    private const string RegistryId = "ron-dev";

    [Fact]
    public async Task Checkpoint_AfterThreeHundredCommits_VerifiesAndTilesRecombineToItsRoot()
    {
        var (env, vkey) = LogKeyEnvironment();
        var dataDir = Directory.CreateTempSubdirectory("svcr-tlog-").FullName;
        TlogHead before;
        await using (var service = await RegistryProcess.StartAsync(dataDir, env: env))
        {
            var driver = new Driver(service);
            await CommitManyAsync(driver, 300);
            var head = await driver.HeadAsync();
            Assert.Equal(300, head.GetProperty("version").GetInt64());

            before = await ReadCheckpointAsync(service, vkey);
            Assert.Equal(301, before.Size);

            // Level 0: one full tile and a partial one of 45; level 1: a partial tile of 1, the hash of the full tile.
            var full = await GetTileAsync(service, "0/000", 256 * 32, RegistryReadEndpointsImmutable);
            var partial = await GetTileAsync(service, "0/001.p/45", 45 * 32, "public, max-age=10");
            var level1 = await GetTileAsync(service, "1/000.p/1", 32, "public, max-age=10");
            var leaves = Split(full).Concat(Split(partial)).ToArray();
            var tree = new MerkleTree();
            foreach (var leaf in leaves)
            {
                tree.AppendLeafHash(leaf);
            }

            Assert.Equal(before.Root, tree.Root());
            Assert.True(tree.TryGetNode(8, 0, out var firstTileRoot));
            Assert.Equal(firstTileRoot, Split(level1).Single());

            // Entry bundles: uint16 length 32 + the commit hash, whose RFC 6962 leaf hash is the tile's.
            var entries = Entries(await GetTileAsync(service, "entries/000", 256 * 34, RegistryReadEndpointsImmutable))
                .Concat(Entries(await GetTileAsync(service, "entries/001.p/45", 45 * 34, "public, max-age=10"))).ToArray();
            Assert.Equal(leaves, entries.Select(MerkleHash.Leaf).ToArray());
            Assert.Equal(Digest.Parse(head.GetProperty("hash").GetString()!), entries[300]);
            using var genesis = await service.Api.GetAsync("/registry/0");
            Assert.Equal(Digest.Parse((await Driver.JsonAsync(genesis)).GetProperty("hash").GetString()!), entries[0]);

            // Tiles the tree does not hold in full yet, and paths that are not tiles, are typed 404s.
            await AssertNotFoundAsync(service, "/registry/tlog/tile/0/001");
            await AssertNotFoundAsync(service, "/registry/tlog/tile/0/001.p/46");
            await AssertNotFoundAsync(service, "/registry/tlog/tile/entries/002.p/1");
            await AssertNotFoundAsync(service, "/registry/tlog/tile/0/1");
            await AssertNotFoundAsync(service, "/registry/tlog/tile/0/000.p/0");

            await service.KillAsync();
        }

        // SIGKILL, restart on the same data directory: the tree is rebuilt from the recovered chain, the same head, and
        // it grows on from there consistently with what was signed before.
        await using var restarted = await RegistryProcess.StartAsync(dataDir, env: env);
        var after = await ReadCheckpointAsync(restarted, vkey);
        Assert.Equal((before.Size, before.Root), (after.Size, after.Root));

        await new Driver(restarted).CommitChangesAsync(Driver.Region("region:after-restart"));
        var grown = await ReadCheckpointAsync(restarted, vkey);
        Assert.Equal(302, grown.Size);
        var rebuilt = new MerkleTree();
        foreach (var leaf in Split(await GetTileAsync(restarted, "0/000", 256 * 32, RegistryReadEndpointsImmutable))
            .Concat(Split(await GetTileAsync(restarted, "0/001.p/46", 46 * 32, "public, max-age=10"))))
        {
            rebuilt.AppendLeafHash(leaf);
        }

        Assert.Equal(grown.Root, rebuilt.Root());
        Assert.Equal(before.Root, rebuilt.RootAt(before.Size));
        Assert.True(MerkleProof.VerifyConsistency(before.Size, grown.Size, rebuilt.ConsistencyProof(before.Size, grown.Size), before.Root, grown.Root));
    }

    [Fact]
    public async Task Checkpoint_DevModeWithoutAKey_IsSignedByTheLoggedEphemeralKey()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var line = await service.WaitForLineAsync(l => l.Contains("ephemeral log key", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var vkey = NoteVerifierKey.Parse(System.Text.RegularExpressions.Regex.Match(line, @"ron-dev\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}").Value);
        Assert.Equal(RegistryId, vkey.Name);
        var checkpoint = await ReadCheckpointAsync(service, vkey);
        Assert.Equal(1, checkpoint.Size);
    }

    [Fact]
    public async Task Start_LogKeyThatIsNotTheFilesPublicHalf_RefusesToStartNamingTheKey()
    {
        var (env, _) = LogKeyEnvironment();
        using var other = NoteSigner.Generate(RegistryId);
        env["SVCR_TRUST__LOG_KEY"] = other.VerifierKey.ToString();
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env, waitReady: false);
        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(service.Lines, l => l.Contains("is not the private half of 'trust.log_key'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_LogKeyWithoutItsFile_RefusesToStart()
    {
        using var signer = NoteSigner.Generate(RegistryId);
        var env = new Dictionary<string, string> { ["SVCR_TRUST__LOG_KEY"] = signer.VerifierKey.ToString() };
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env, waitReady: false);
        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(service.Lines, l => l.Contains("'trust.log_key' and 'trust.log_key_file' go together", StringComparison.Ordinal));
    }

    private const string RegistryReadEndpointsImmutable = "public, max-age=31536000, immutable";

    private sealed record TlogHead(long Size, Digest Root);

    /// <summary>A fresh log key written to a private file, as SVCR_ variables, and its vkey.</summary>
    internal static (Dictionary<string, string> Env, NoteVerifierKey Key) LogKeyEnvironment()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-tlog-key-").FullName, "tlog.key");
        File.WriteAllText(path, NoteSigner.FormatPrivateKey(RegistryId, seed) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        using var signer = NoteSigner.FromSeed(RegistryId, seed);
        var vkey = signer.VerifierKey;
        return (new Dictionary<string, string> { ["SVCR_TRUST__LOG_KEY"] = vkey.ToString(), ["SVCR_TRUST__LOG_KEY_FILE"] = path }, vkey);
    }

    /// <summary>Reads and checks the checkpoint: a signed note by <paramref name="vkey"/>, a C2SP body of this registry, a fresh timestamped line.</summary>
    private static async Task<TlogHead> ReadCheckpointAsync(RegistryProcess service, NoteVerifierKey vkey)
    {
        using var response = await service.Api.GetAsync("/registry/tlog/checkpoint");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.NoCache);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(SignedNote.TryParse(bytes, out var note), Encoding.UTF8.GetString(bytes));
        Assert.True(note.VerifiedBy(vkey), Encoding.UTF8.GetString(bytes));
        Assert.True(Checkpoint.TryParse(note.Text, out var checkpoint));
        Assert.Equal(RegistryId, checkpoint.Origin);

        var freshness = new NoteVerifierKey(vkey.Name, NoteVerifierKey.CosignatureV1Type, vkey.PublicKey);
        Assert.True(Cosignature.TryVerify(note, freshness, out var time));
        Assert.InRange(time, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);

        // Nothing commits meanwhile: the checkpoint covers HEAD (tree size = HEAD.version + 1).
        var head = await new Driver(service).HeadAsync();
        Assert.Equal(head.GetProperty("version").GetInt64() + 1, checkpoint.Size);
        return new TlogHead(checkpoint.Size, checkpoint.Root);
    }

    private static async Task<byte[]> GetTileAsync(RegistryProcess service, string path, int length, string cacheControl)
    {
        using var response = await service.Api.GetAsync("/registry/tlog/tile/" + path);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(cacheControl, response.Headers.CacheControl?.ToString());
        Assert.Equal(length, body.Length);
        return body;
    }

    private static async Task AssertNotFoundAsync(RegistryProcess service, string path)
    {
        using var response = await service.Api.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"NotFound\"", body, StringComparison.Ordinal);
    }

    private static IEnumerable<Digest> Split(byte[] tile) => tile.Chunk(32).Select(c => new Digest(c));

    private static IEnumerable<Digest> Entries(byte[] bundle)
    {
        foreach (var entry in bundle.Chunk(34))
        {
            Assert.Equal((byte)0, entry[0]);
            Assert.Equal((byte)32, entry[1]);
            yield return new Digest(entry.AsSpan(2));
        }
    }

    /// <summary>
    /// <paramref name="count"/> pre-signed submissions, all on genesis with disjoint scopes (one region each), eight at a
    /// time: the scoped rule commits every one, and the writer batches them.
    /// </summary>
    private static async Task CommitManyAsync(Driver driver, int count)
    {
        var head = await driver.HeadAsync();
        var baseHash = Digest.Parse(head.GetProperty("hash").GetString()!);
        var bodies = Enumerable.Range(0, count).Select(i => Submission(baseHash, Driver.Region($"region:r{i}"))).ToArray();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, cancellationToken) =>
        {
            using var response = await driver.PostAsync("/registry/commits", body);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(cancellationToken));
        });
    }

    private static string Submission(Digest baseHash, string change)
    {
        using var document = CanonicalJson.Parse(Encoding.UTF8.GetBytes(change));
        var proposal = new Proposal(RegistryId, 0, baseHash, 1, null, [Change.FromJson(document.RootElement)], Timestamp.From(DateTimeOffset.UtcNow.AddHours(1)), "tlog");
        ImmutableArray<Approval> approvals = [.. new[] { 1, 2 }.Select(n =>
        {
            using var key = SignerKeyDocument.DevKey(n);
            return Approval.Sign($"dev-signer-{n}", key, proposal.Id);
        })];
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName("approvals");
        writer.WriteStartArray();
        foreach (var approval in approvals)
        {
            approval.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("proposal");
        proposal.WriteTo(writer);
        writer.WriteEndObject();
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }
}
