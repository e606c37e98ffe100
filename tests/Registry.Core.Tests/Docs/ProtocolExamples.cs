using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Json;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Docs;

/// <summary>
/// Recomputes every output example of docs/PROTOCOL.md from the doc's own inputs (seeds, documents, times),
/// with Core and, where the doc spells out an algorithm, also straight from that algorithm.
/// </summary>
internal sealed class ProtocolExamples
{
    /// <summary>Examples that are inputs: read by the computation, never compared.</summary>
    public static readonly string[] InputNames =
        ["seeds", "jcs-input", "trust-roots", "proposal-1", "committed-at-1", "proposal-2", "committed-at-2", "proposal-3", "committed-at-3", "proposal-4", "committed-at-4", "proposal-5", "cap-mint", "cap-caveat", .. TransparencyExamples.InputNames];

    private readonly ProtocolDoc _doc;
    private readonly Dictionary<string, string> _out = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Ed25519SecretKey> _keys = new(StringComparer.Ordinal);

    public ProtocolExamples(ProtocolDoc doc)
    {
        _doc = doc;
        Compute();
    }

    public IReadOnlyDictionary<string, string> Outputs => _out;

    /// <summary>Compares two example values the way the block's language reads: hex ignores whitespace.</summary>
    public static string Normalize(string lang, string text) => lang == "hex"
        ? string.Concat(text.Where(c => !char.IsWhiteSpace(c)))
        : text.TrimEnd();

    /// <summary>Hex, 32 bytes a line, two-digit groups: how the doc prints bytes.</summary>
    public static string HexBlock(ReadOnlySpan<byte> bytes)
    {
        var lines = new List<string>();
        for (var i = 0; i < bytes.Length; i += 32)
        {
            var line = Convert.ToHexStringLower(bytes[i..Math.Min(bytes.Length, i + 32)]);
            lines.Add(string.Join(' ', Enumerable.Range(0, line.Length / 2).Select(j => line.Substring(2 * j, 2))));
        }

        return string.Join('\n', lines);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private void Compute()
    {
        // Keys from the seeds block: "<signer id> <seed hex>" per line.
        foreach (var line in _doc["seeds"].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            _keys.Add(parts[0], Ed25519SecretKey.FromSeed(Convert.FromHexString(parts[1])));
        }

        _out["public-keys"] = string.Join('\n', _keys.Select(k => $"{k.Key} {Convert.ToHexStringLower(k.Value.PublicKey.Bytes)} {k.Value.PublicKey.ToBase64()}"));

        _out["jcs-canonical.hex"] = HexBlock(CanonicalJson.Canonicalize(Utf8(_doc["jcs-input"])));

        // Trust roots and genesis.
        var trustRoots = Utf8(_doc["trust-roots"]);
        var trustCanonical = CanonicalJson.Canonicalize(trustRoots);
        var genesis = GenesisRecord.FromTrustRoots(trustRoots);
        _out["trust-roots.canonical"] = Text(trustCanonical);
        _out["trust-roots.canonical.hex"] = HexBlock(trustCanonical);
        _out["trust-roots.digest"] = Sha(trustCanonical).ToString();
        Assert.Equal(GenesisRecord.TrustRootsDigest(trustRoots), Sha(trustCanonical));
        Assert.Equal(trustCanonical, genesis.ToTrustRootsDocument());
        _out["genesis.canonical"] = Text(genesis.CanonicalBytes);
        _out["genesis.hash"] = Sha(genesis.CanonicalBytes).ToString();
        Assert.Equal(genesis.Hash, Sha(genesis.CanonicalBytes));

        var state = RegistryState.FromGenesis(genesis);
        state = Round(state, 1, ["alice", "bob"], state);
        Submission();
        DescriptorRead(state, "node:eu-west-1a");
        state = Round(state, 2, ["alice", "bob"], state);

        // Section 10.4: two proposals built on version 2 with disjoint scopes both commit, in order 3 then 4; a third on
        // the same base that puts an id version 4 wrote is refused.
        var two = state;
        state = Round(state, 3, ["alice", "dave"], two);
        state = Round(state, 4, ["alice", "dave"], two);
        var late = Docs_Proposal(_doc["proposal-5"]);
        _out["proposal-5.id"] = Sha(late.CanonicalBytes).ToString();
        var refused = RegistryMachine.DecidePropose(state, late, late.ExpiresAt.Add(TimeSpan.FromHours(-1)), two);
        Assert.Equal(DecisionKind.Rejected, refused.Kind);
        _out["proposal-5.rejection"] = $"{refused.Rejection!.Code}: {refused.Rejection.Detail}";

        Capability();

        // Section 12: the transparency log over this chain.
        TransparencyExamples.Compute(_doc, _out, genesis);
    }

    // Section 4.9: the pre-signed submission of proposal 1 with alice's and bob's approvals, by hand and by Core.
    private void Submission()
    {
        var proposal = Docs_Proposal(_doc["proposal-1"]);
        var approvals = new[] { "alice", "bob" }.Select(id => Approval.Sign(id, _keys[id], proposal.Id)).ToList();
        var byHand = "{\"approvals\":[" + string.Join(",", approvals.Select(a => ModelJson.Write(a.WriteTo))) + "],\"proposal\":" + Text(proposal.CanonicalBytes) + "}";
        Assert.Equal(byHand, Text(new PreSignedSubmission(proposal, approvals).CanonicalBytes));
        _out["submission-1"] = byHand;
    }

    // Section 11.2: what GET /registry/1/descriptors/{id} answers; its hash is hash(1), not the descriptor's digest.
    private void DescriptorRead(RegistryState state, string id)
    {
        Assert.True(state.Descriptors.TryGet(id, out var descriptor));
        Assert.Equal(Sha(Utf8(_out["commit-1.canonical"])), state.HeadHash);
        Assert.NotEqual(Sha(descriptor.CanonicalBytes), state.HeadHash);
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName("descriptor");
        descriptor.WriteTo(writer);
        writer.WriteString("hash", state.HeadHash.ToString());
        writer.WritePropertyName("proof");
        state.Descriptors.Prove(id)!.WriteTo(writer);
        writer.WriteString("state_root", state.Descriptors.Root.ToString());
        writer.WriteInteger("version", state.Version);
        writer.WriteEndObject();
        _out["descriptor-read-1"] = Text(writer.WrittenSpan);
    }

    // Section 11.1: a capability token built byte by byte from its definition, checked against Core's mint,
    // attenuation and keyring.
    private void Capability()
    {
        var fields = _doc["cap-mint"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var secret = Convert.FromHexString(fields["secret"]);
        var scopes = fields["scopes"].Split(' ');
        var exp = long.Parse(fields["exp"], System.Globalization.CultureInfo.InvariantCulture);
        var identifier = Utf8($"{{\"exp\":{exp},\"id\":\"{fields["id"]}\",\"kid\":\"{fields["kid"]}\",\"scopes\":[{string.Join(",", scopes.Order(StringComparer.Ordinal).Select(x => "\"" + x + "\""))}]}}");
        Assert.Equal(identifier, CanonicalJson.Canonicalize(identifier));
        var tag = HMACSHA256.HashData(secret, identifier);
        var token = "rcap1." + B64Url(identifier) + "." + B64Url(tag);
        Assert.Equal(token, CapabilityToken.Mint(fields["kid"], secret, fields["id"], scopes, exp));

        var caveat = _doc["cap-caveat"];
        var attenuated = "rcap1." + B64Url(identifier) + "." + B64Url(Utf8(caveat)) + "." + B64Url(HMACSHA256.HashData(tag, Utf8(caveat)));
        Assert.Equal(attenuated, CapabilityToken.Attenuate(token, caveat));

        var keyring = new CapabilityKeyring([new CapabilityRootKey(fields["kid"], secret, 0, null)], []);
        Assert.Equal(CapabilityFailure.None, keyring.Check(token, "registry:approve", exp - 1, out _));
        Assert.Equal(CapabilityFailure.Invalid, keyring.Check(token, "registry:approve", exp, out _));
        Assert.Equal(CapabilityFailure.MissingScope, keyring.Check(token, "registry:commit", exp - 1, out _));
        Assert.Equal(CapabilityFailure.MissingScope, keyring.Check(attenuated, "registry:approve", exp - 1, out _));
        Assert.Equal(CapabilityFailure.None, keyring.Check(attenuated, "registry:propose", exp - 1, out _));
        Assert.Equal(CapabilityFailure.Invalid, keyring.Check(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], "registry:approve", exp - 1, out _));

        _out["cap-identifier"] = Text(identifier);
        _out["cap-tag.hex"] = HexBlock(tag);
        _out["cap-token"] = token;
        _out["cap-token.attenuated"] = attenuated;
        _out["cap-file"] = Text(keyring.ToJson());
    }

    // RFC 4648 section 5, no padding: written out rather than System.Buffers.Text.Base64Url, which Core uses.
    private static string B64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private RegistryState Round(RegistryState state, int n, string[] approvers, RegistryState baseState)
    {
        var proposal = Docs_Proposal(_doc[$"proposal-{n}"]);

        // The scope the server would compute when a client leaves it out: written and deleted ids plus referenced regions.
        var scope = Proposal.ScopeOf(proposal.Changes);
        Assert.Equal(scope.ToArray(), proposal.Scope.ToArray());
        _out[$"proposal-{n}.scope"] = "[" + string.Join(",", scope.Select(id => "\"" + id + "\"")) + "]";
        var canonical = proposal.CanonicalBytes.ToArray();
        Assert.Equal(canonical, CanonicalJson.Canonicalize(canonical));
        _out[$"proposal-{n}.canonical"] = Text(canonical);
        if (n == 1)
        {
            _out["proposal-1.canonical.hex"] = HexBlock(canonical);
        }

        _out[$"proposal-{n}.id"] = Sha(canonical).ToString();
        Assert.Equal(proposal.Id, Sha(canonical));

        var message = Utf8("ron:svc-registry:v2\n" + Sha(canonical));
        Assert.Equal(message, Approval.SigningMessage(proposal.Id));
        if (n == 1)
        {
            _out["signing-message-1.hex"] = HexBlock(message);
        }

        var approvals = new List<Approval>();
        foreach (var id in approvers)
        {
            var approval = new Approval(id, _keys[id].Sign(message));
            Assert.Equal(approval.Signature.ToArray(), Approval.Sign(id, _keys[id], proposal.Id).Signature.ToArray());
            approvals.Add(approval);
            _out[$"approval-{n}.{id}"] = ModelJson.Write(approval.WriteTo);
        }

        var now = Timestamp.TryParse(_doc[$"committed-at-{n}"], out var at) ? at : throw new InvalidDataException("committed-at");
        var accepted = Harness.Expect(RegistryMachine.DecidePropose(state, proposal, proposal.ExpiresAt.Add(TimeSpan.FromHours(-1)), baseState));
        state = state.Apply(accepted);
        foreach (var approval in approvals)
        {
            state = state.Apply(Harness.Expect(RegistryMachine.DecideApprove(state, proposal.Id, approval, now)));
        }

        var record = Harness.Expect(RegistryMachine.DecideCommit(state, proposal.Id, now)).Record;
        state = state.Apply(new Committed(record));

        var root = ReferenceRoot.Of(state.Descriptors);
        Assert.Equal(root, record.StateRoot);
        if (proposal.BaseVersion == record.Version - 1)
        {
            Assert.Equal(accepted.StateRoot, record.StateRoot);
        }
        _out[$"state-{n}.root"] = root.ToString();
        if (n == 1)
        {
            _out["state-1.leaves"] = string.Join('\n', state.Descriptors.Select(d =>
                $"{d.Id}\n  key  {Convert.ToHexStringLower(SHA256.HashData(Utf8(d.Id)))}\n  hash {Convert.ToHexStringLower(SHA256.HashData(d.CanonicalBytes))}\n  leaf {Convert.ToHexStringLower(ReferenceRoot.Leaf(SHA256.HashData(Utf8(d.Id)), SHA256.HashData(d.CanonicalBytes)))}"));
            _out["state-1.tree"] = TreeText([.. state.Descriptors]);
            var proofId = "node:eu-west-1a";
            var proof = state.Descriptors.Prove(proofId)!;
            _out["proof-1"] = ModelJson.Write(proof.WriteTo);
        }

        var recordCanonical = record.CanonicalBytes.ToArray();
        _out[$"commit-{n}.canonical"] = Text(recordCanonical);
        _out[$"commit-{n}.hash"] = Sha(recordCanonical).ToString();
        return state;
    }

    private static Proposal Docs_Proposal(string json)
    {
        using var document = CanonicalJson.Parse(Utf8(json));
        return Proposal.FromJson(document.RootElement);
    }

    private static Digest Sha(ReadOnlySpan<byte> bytes) => new(SHA256.HashData(bytes));

    // The tree drawn from its definition: one line per node, its path bits, then what it is and its hash.
    private static string TreeText(List<Descriptor> descriptors)
    {
        var lines = new List<string>();
        var leaves = descriptors.Select(d => (d.Id, Key: SHA256.HashData(Utf8(d.Id)), Value: SHA256.HashData(d.CanonicalBytes))).ToList();
        Draw(leaves, string.Empty);
        return string.Join('\n', lines);

        byte[] Draw(List<(string Id, byte[] Key, byte[] Value)> set, string path)
        {
            var label = path.Length == 0 ? "root" : path;
            var index = lines.Count;
            lines.Add(string.Empty);
            byte[] hash;
            string what;
            switch (set.Count)
            {
                case 0:
                    hash = new byte[32];
                    what = "empty";
                    break;
                case 1:
                    hash = ReferenceRoot.Leaf(set[0].Key, set[0].Value);
                    what = "leaf " + set[0].Id;
                    break;
                default:
                    var depth = path.Length;
                    var left = Draw(set.Where(l => ReferenceRoot.Bit(l.Key, depth) == 0).ToList(), path + "0");
                    var right = Draw(set.Where(l => ReferenceRoot.Bit(l.Key, depth) == 1).ToList(), path + "1");
                    hash = ReferenceRoot.Branch(left, right);
                    what = "branch";
                    break;
            }

            lines[index] = $"{new string(' ', 2 * path.Length)}{label,-6} {what,-24} {Convert.ToHexStringLower(hash)}";
            return hash;
        }
    }

    public static ImmutableArray<CommitRecord> RecordsIn(ProtocolDoc doc) =>
        [.. Enumerable.Range(1, 4).Select(n => CommitRecord.FromCanonicalBytes(Utf8(doc[$"commit-{n}.canonical"])))];
}
