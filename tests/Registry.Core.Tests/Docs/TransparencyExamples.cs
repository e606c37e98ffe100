using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Registry.Core.Crypto;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Core.Tests.Docs;

/// <summary>
/// The examples of docs/PROTOCOL.md section 12 (the transparency log), recomputed over the doc's own chain (genesis and
/// commits 1-4: a tree of 5 leaves) and its log seed and time: every hash straight from the bytes the doc spells out,
/// and checked against Core's tree, note signer and cosignature code.
/// </summary>
internal static class TransparencyExamples
{
    /// <summary>The section's input blocks.</summary>
    public static readonly string[] InputNames = ["tlog-seed", "tlog-time", "tlog-witness-seed", "tlog-witness-name", "tlog-next-seed"];

    public static void Compute(ProtocolDoc doc, Dictionary<string, string> outputs, GenesisRecord genesis)
    {
        // Leaf i is SHA-256(0x00 || hash(i)); the doc's chain is genesis and commits 1..4.
        var registry = genesis.Registry;
        Digest[] chain = [Digest.Parse(outputs["genesis.hash"]), .. Enumerable.Range(1, 4).Select(n => Digest.Parse(outputs[$"commit-{n}.hash"]))];
        var leaves = chain.Select(h => SHA256.HashData([0x00, .. h.Bytes])).ToArray();
        outputs["tlog-leaf-0.hex"] = ProtocolExamples.HexBlock([0x00, .. chain[0].Bytes]);
        outputs["tlog-leaves"] = string.Join('\n', chain.Select((h, i) => $"{i} entry {h.ToHex()}\n  leaf  {Convert.ToHexStringLower(leaves[i])}"));

        byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);
        outputs["tlog-node-01.hex"] = ProtocolExamples.HexBlock([0x01, .. leaves[0], .. leaves[1]]);
        var n01 = Node(leaves[0], leaves[1]);
        var n23 = Node(leaves[2], leaves[3]);
        var n03 = Node(n01, n23);
        var root5 = Node(n03, leaves[4]);
        outputs["tlog-tree"] = string.Join('\n',
            $"level 1 index 0  H(leaf 0, leaf 1)        {Convert.ToHexStringLower(n01)}",
            $"level 1 index 1  H(leaf 2, leaf 3)        {Convert.ToHexStringLower(n23)}",
            $"level 2 index 0  H(level 1: 0, 1)         {Convert.ToHexStringLower(n03)}",
            $"root, size 5     H(level 2: 0, leaf 4)    {Convert.ToHexStringLower(root5)}");

        var tree = new MerkleTree();
        foreach (var hash in chain)
        {
            tree.Append(hash.Bytes);
        }

        Assert.Equal(Convert.ToHexStringLower(root5), tree.Root().ToHex());

        // The proofs a client checks (RFC 9162 §2.1.3.2, §2.1.4.2): leaf 3 in the tree of 5; the tree of 3 in the tree of 5.
        var inclusion = tree.InclusionProof(3, 5);
        Assert.Equal([Convert.ToHexStringLower(leaves[2]), Convert.ToHexStringLower(n01), Convert.ToHexStringLower(leaves[4])], inclusion.Select(d => d.ToHex()).ToArray());
        Assert.True(MerkleProof.VerifyInclusion(3, 5, new Digest(leaves[3]), inclusion, new Digest(root5)));
        outputs["tlog-inclusion-3-5"] = string.Join('\n', inclusion.Select(d => d.ToHex()));
        var consistency = tree.ConsistencyProof(3, 5);
        Assert.True(MerkleProof.VerifyConsistency(3, 5, consistency, tree.RootAt(3), tree.Root()));
        outputs["tlog-root-3"] = tree.RootAt(3).ToHex();
        outputs["tlog-consistency-3-5"] = string.Join('\n', consistency.Select(d => d.ToHex()));

        // The log key: its vkey and both key IDs (type 0x01 for the note signature, 0x04 for the freshness line).
        var seed = Convert.FromHexString(doc["tlog-seed"].Trim());
        using var key = Ed25519SecretKey.FromSeed(seed);
        using var signer = NoteSigner.FromSeed(registry, seed);
        var pub = key.PublicKey.Bytes.ToArray();
        byte[] idInput = [.. Encoding.UTF8.GetBytes(registry), 0x0A, 0x01, .. pub];
        outputs["tlog-keyid.hex"] = ProtocolExamples.HexBlock(idInput);
        var id01 = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(idInput));
        var id04 = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(registry), 0x0A, 0x04, .. pub]));
        Assert.Equal((id01, id04), (signer.VerifierKey.KeyId, signer.CosignatureKey.KeyId));
        outputs["tlog-key-ids"] = $"0x01 {id01:x8}\n0x04 {id04:x8}";
        var vkey = $"{registry}+{id01:x8}+{Convert.ToBase64String([0x01, .. pub])}";
        Assert.Equal(vkey, signer.VerifierKey.ToString());
        outputs["tlog-vkey"] = vkey;

        // The checkpoint of size 5, its signature line and the freshness cosignature at the doc's time.
        var body = $"{registry}\n5\n{Convert.ToBase64String(root5)}\n";
        Assert.Equal(body, new Checkpoint(registry, 5, new Digest(root5)).ToText());
        outputs["tlog-checkpoint.text"] = body;
        var time = long.Parse(doc["tlog-time"].Trim(), CultureInfo.InvariantCulture);
        var message = $"cosignature/v1\ntime {time}\n{body}";
        Assert.Equal(Encoding.UTF8.GetBytes(message), Cosignature.Message(body, time));
        outputs["tlog-cosignature.message"] = message;
        var signature = key.Sign(Encoding.UTF8.GetBytes(body));
        var cosignature = key.Sign(Encoding.UTF8.GetBytes(message));
        byte[] sigBytes = [.. BigEndian(id01), .. signature];
        byte[] cosigBytes = [.. BigEndian(id04), .. BigEndian64(time), .. cosignature];
        var note = $"{body}\n\u2014 {registry} {Convert.ToBase64String(sigBytes)}\n\u2014 {registry} {Convert.ToBase64String(cosigBytes)}\n";
        Assert.Equal(note, signer.SignNote(body).With(signer.Cosign(body, time)).ToString());
        Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(note), out var parsed) && parsed.VerifiedBy(signer.VerifierKey));
        Assert.True(Cosignature.TryVerify(parsed, signer.CosignatureKey, out var verifiedTime) && verifiedTime == time);
        outputs["tlog-checkpoint.note"] = note;

        // A witness that cosigned the tree of 3 is sent the checkpoint of 5 (C2SP tlog-witness add-checkpoint) and cosigns it.
        var witnessSeed = Convert.FromHexString(doc["tlog-witness-seed"].Trim());
        var witnessName = doc["tlog-witness-name"].Trim();
        using var witnessKey = Ed25519SecretKey.FromSeed(witnessSeed);
        using var witness = NoteSigner.FromSeed(witnessName, witnessSeed);
        var witnessId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(witnessName), 0x0A, 0x04, .. witnessKey.PublicKey.Bytes.ToArray()]));
        var witnessVkey = $"{witnessName}+{witnessId:x8}+{Convert.ToBase64String([0x04, .. witnessKey.PublicKey.Bytes.ToArray()])}";
        Assert.Equal(witnessVkey, witness.CosignatureKey.ToString());
        outputs["tlog-witness-vkey"] = witnessVkey;
        var request = $"old 3\n{string.Concat(consistency.Select(d => Convert.ToBase64String(d.Bytes) + "\n"))}\n{note}";
        Assert.True(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(request), out var parsedRequest, out _));
        Assert.Equal(Encoding.UTF8.GetBytes(request), new AddCheckpointRequest(3, consistency, parsed).ToBytes());
        var verdict = WitnessCheck.Check(parsedRequest, o => o == registry ? signer.VerifierKey : null, _ => new Checkpoint(registry, 3, tree.RootAt(3)));
        Assert.Equal(WitnessOutcome.Cosign, verdict.Outcome);
        outputs["tlog-witness-request"] = request;
        byte[] witnessBytes = [.. BigEndian(witnessId), .. BigEndian64(time), .. witnessKey.Sign(Encoding.UTF8.GetBytes(message))];
        var response = $"\u2014 {witnessName} {Convert.ToBase64String(witnessBytes)}\n";
        Assert.Equal(response, witness.Cosign(body, time).ToLine());
        Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(note + response), out var cosigned) && Cosignature.TryVerify(cosigned, witness.CosignatureKey, out _));
        outputs["tlog-witness-response"] = response;

        // Tiles of the tree of 5: the partial level-0 tile (5 leaf hashes) and the entry bundle (5 × uint16 32 + hash).
        outputs["tlog-tile-0.hex"] = ProtocolExamples.HexBlock([.. leaves.SelectMany(l => l)]);
        outputs["tlog-entries-0.hex"] = ProtocolExamples.HexBlock([.. chain.SelectMany(h => new byte[] { 0x00, 0x20 }.Concat(h.Bytes.ToArray()))]);

        ComputeRotation(doc, outputs, genesis, signer.VerifierKey);
    }

    // §12.14: the next key's vkey, the set_log_key change naming it, and the genesis of trust roots that name the log key.
    private static void ComputeRotation(ProtocolDoc doc, Dictionary<string, string> outputs, GenesisRecord genesis, NoteVerifierKey logKey)
    {
        var registry = genesis.Registry;
        var nextSeed = Convert.FromHexString(doc["tlog-next-seed"].Trim());
        using var nextKey = Ed25519SecretKey.FromSeed(nextSeed);
        byte[] material = [0x01, .. nextKey.PublicKey.Bytes];
        var nextId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(registry), 0x0A, .. material]));
        var nextVkey = $"{registry}+{nextId:x8}+{Convert.ToBase64String(material)}";
        using (var next = NoteSigner.FromSeed(registry, nextSeed))
        {
            Assert.Equal(nextVkey, next.VerifierKey.ToString());
        }

        outputs["tlog-next-vkey"] = nextVkey;
        var change = $"{{\"log_key\":\"{nextVkey}\",\"op\":\"set_log_key\"}}";
        var writer = new Registry.Core.Json.CanonicalJsonWriter();
        new SetLogKeyChange(NoteVerifierKey.Parse(nextVkey)).WriteTo(writer);
        Assert.Equal(change, Encoding.UTF8.GetString(writer.ToArray()));
        outputs["tlog-set-log-key.canonical"] = change;

        // The same genesis with "log_key" first (it sorts before "prev_hash"), and its hash.
        var canonical = "{\"log_key\":\"" + logKey + "\"," + outputs["genesis.canonical"].Trim()[1..];
        var named = new GenesisRecord(registry, genesis.SignerSet, logKey);
        Assert.Equal(canonical, Encoding.UTF8.GetString(named.CanonicalBytes));
        outputs["genesis-log-key.canonical"] = canonical;
        outputs["genesis-log-key.hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(outputs["genesis-log-key.hash"], named.Hash.ToString());
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
