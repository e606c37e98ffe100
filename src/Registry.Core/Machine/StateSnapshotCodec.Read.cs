using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

public static partial class StateSnapshotCodec
{
    /// <summary>Reads a snapshot and verifies its tree against the head record's state root.</summary>
    /// <exception cref="FormatException">Truncated, unknown format, or inconsistent with its own head.</exception>
    public static RegistryState Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        if (!reader.Take(8).SequenceEqual(Magic))
        {
            throw RegistryFormatException.Malformed("Not a state snapshot (bad magic).");
        }

        var format = reader.U32();
        if (format == 1)
        {
            throw RegistryFormatException.Malformed(
                "State snapshot format 1 was written under protocol v1 (whole-HEAD compare-and-swap); this build reads format 2 (protocol v2, scoped compare-and-swap). See docs/STORAGE.md, \"Protocol v1 data\".");
        }

        if (format < 2 || format > FormatVersion)
        {
            throw RegistryFormatException.Malformed($"State snapshot format {format} is not supported (this build reads 2 to {FormatVersion}).");
        }

        var current = format >= 3;

        var genesis = GenesisRecord.FromTrustRoots(reader.Bytes().ToArray());
        var headBytes = reader.Bytes();
        var head = headBytes.IsEmpty ? null : CommitRecord.FromCanonicalBytes(headBytes.ToArray());
        var signerSet = SignerSetFrom(reader.Bytes().ToArray());
        RequireSignerSetInForce(genesis, head, signerSet);

        var descriptors = new Descriptor[reader.U32()];
        for (var i = 0; i < descriptors.Length; i++)
        {
            var kindByte = reader.Take(1)[0];
            if (kindByte > (byte)DescriptorKind.Region)
            {
                throw RegistryFormatException.Malformed($"State snapshot holds an unknown descriptor kind {kindByte}.");
            }

            var kind = (DescriptorKind)kindByte;
            var id = reader.String();
            var region = reader.String();
            var attrs = reader.Bytes().ToArray();

            // The state root covers kind, id and attrs but not this copy of attrs.region: check it against them.
            if (Descriptor.ReferencedRegion(kind, attrs) != (region.Length == 0 ? null : region))
            {
                throw RegistryFormatException.Malformed($"State snapshot: the region stored for '{id}' does not match its attrs.");
            }

            descriptors[i] = Descriptor.FromTrustedParts(kind, id, attrs, region.Length == 0 ? null : region);
        }

        var tree = StateTree.Build(descriptors);
        var expectedRoot = head?.StateRoot ?? Digest.Zero;
        if (tree.Root != expectedRoot)
        {
            throw RegistryFormatException.Malformed($"State snapshot descriptors hash to {tree.Root}, but its head says {expectedRoot}.");
        }

        var pending = ImmutableDictionary.CreateBuilder<Digest, PendingProposal>();
        var pendingCount = reader.U32();
        for (var i = 0; i < pendingCount; i++)
        {
            var proposal = Proposal.FromCanonicalBytes(reader.Bytes().ToArray());
            var root = new Digest(reader.Take(Digest.Size));
            var acceptedAt = reader.Timestamp();
            var approvals = ImmutableArray.CreateBuilder<Approval>();
            var approvalCount = reader.U16();
            for (var j = 0; j < approvalCount; j++)
            {
                approvals.Add(new Approval(reader.String(), reader.Bytes()));
            }

            var proposedBy = current && reader.Flag() ? reader.String() : null;
            if (!pending.TryAdd(proposal.Id, new PendingProposal(proposal, root, acceptedAt, approvals.ToImmutable()) { ProposedBy = proposedBy }))
            {
                throw RegistryFormatException.Malformed($"State snapshot lists open proposal {proposal.Id} twice.");
            }
        }

        // Add, not TryAdd, which walks the builder's tree twice, and this map is as large as the history. The
        // builder's Add ignores a repeated key with the same value and throws for another value: the count tells both.
        var committed = ImmutableDictionary.CreateBuilder<Digest, long>();
        var committedCount = reader.U32();
        for (var i = 0; i < committedCount; i++)
        {
            var id = new Digest(reader.Take(Digest.Size));
            var version = reader.I64();
            try
            {
                committed.Add(id, version);
            }
            catch (ArgumentException)
            {
                throw RegistryFormatException.Malformed($"State snapshot lists committed proposal {id} twice.");
            }

            if (committed.Count != i + 1)
            {
                throw RegistryFormatException.Malformed($"State snapshot lists committed proposal {id} twice.");
            }
        }

        var dropped = ImmutableDictionary.CreateBuilder<Digest, DroppedProposal>();
        var droppedCount = current ? reader.U32() : 0;
        for (var i = 0; i < droppedCount; i++)
        {
            var id = new Digest(reader.Take(Digest.Size));
            var because = (ProposalStatus)reader.Take(1)[0];
            if (because is not (ProposalStatus.Expired or ProposalStatus.Stale))
            {
                throw RegistryFormatException.Malformed($"State snapshot says proposal {id} was dropped for an unknown reason {(int)because}.");
            }

            var at = reader.Timestamp();
            var version = reader.I64();
            if (version < 0 || version > (head?.Version ?? 0) || pending.ContainsKey(id) || !dropped.TryAdd(id, new DroppedProposal(id, because, at, version)))
            {
                throw RegistryFormatException.Malformed($"State snapshot's dropped proposal {id} is open, listed twice, or dropped at version {version} outside 0..HEAD.");
            }
        }

        // Every descriptor in the state has an entry (ids of deleted descriptors have one too). The entry shares the
        // descriptor's id string rather than holding a second copy of it.
        var live = new HashSet<string>(descriptors.Length, StringComparer.Ordinal);
        foreach (var descriptor in descriptors)
        {
            live.Add(descriptor.Id);
        }

        var writers = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        var writerCount = reader.U32();
        var headVersion0 = head?.Version ?? 0;
        var liveWritten = 0;
        string? previousId = null;
        for (var i = 0; i < writerCount; i++)
        {
            var id = reader.String();
            var version = reader.I64();
            if (previousId is not null && string.CompareOrdinal(previousId, id) >= 0)
            {
                throw RegistryFormatException.Malformed($"State snapshot's last-writer table is not sorted and unique at '{id}'.");
            }

            if (version < 1 || version > headVersion0)
            {
                throw RegistryFormatException.Malformed($"State snapshot says '{id}' was last written by version {version}, outside 1..{headVersion0}.");
            }

            if (live.TryGetValue(id, out var shared))
            {
                id = shared;
                liveWritten++;
            }

            // Sorted and unique (checked above), so Add cannot meet a duplicate.
            writers.Add(id, version);
            previousId = id;
        }

        if (liveWritten != descriptors.Length)
        {
            var missing = descriptors.First(d => !writers.ContainsKey(d.Id));
            throw RegistryFormatException.Malformed($"State snapshot's last-writer table lacks '{missing.Id}', which is in the state.");
        }

        var hashCount = reader.U32();
        if (hashCount != headVersion0 + 1)
        {
            throw RegistryFormatException.Malformed($"State snapshot holds {hashCount} chain hashes for HEAD version {headVersion0}.");
        }

        var hashes = new Digest[hashCount];
        for (var i = 0; i < hashCount; i++)
        {
            hashes[i] = new Digest(reader.Take(Digest.Size));
        }

        if (hashes[0] != genesis.Hash || hashes[^1] != (head?.Hash ?? genesis.Hash) || (head is not null && hashCount > 1 && hashes[^2] != head.PrevHash))
        {
            throw RegistryFormatException.Malformed("State snapshot's chain hashes do not match its genesis and head.");
        }

        var logKey = format >= 4 ? LogKeyFrom(reader.Bytes()) : genesis.LogKey;
        RequireLogKeyInForce(genesis, head, logKey);
        if (!reader.AtEnd)
        {
            throw RegistryFormatException.Malformed("State snapshot has trailing bytes.");
        }

        if (head is not null && (!committed.TryGetValue(head.ProposalId, out var headVersion) || headVersion != head.Version))
        {
            throw RegistryFormatException.Malformed($"State snapshot does not list its head's proposal {head.ProposalId} as committed at version {head.Version}.");
        }

        return RegistryState.Restore(genesis, head, tree, signerSet, pending.ToImmutable(), committed.ToImmutable(), writers.ToImmutable(), ChainHashes.FromList(hashes), dropped.ToImmutable(), logKey);
    }

    private static Transparency.NoteVerifierKey? LogKeyFrom(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return null;
        }

        var vkey = Encoding.UTF8.GetString(text);
        return Transparency.NoteVerifierKey.TryParse(vkey, out var key) && key.Type == Transparency.NoteVerifierKey.Ed25519Type
            ? key
            : throw RegistryFormatException.Malformed($"State snapshot's log key '{vkey}' is not an Ed25519 vkey.");
    }

    // As for the signer set: at version 0 the genesis key; after a head that rotated it, that key; otherwise any key the
    // chain could have put in force: named with the registry id, and present whenever genesis names one (a named key
    // is only ever replaced). Which rotation installed it is not in the head, so that is left to chain verification.
    private static void RequireLogKeyInForce(GenesisRecord genesis, CommitRecord? head, Transparency.NoteVerifierKey? logKey)
    {
        bool ok;
        if (head is null)
        {
            ok = genesis.LogKey?.ToString() == logKey?.ToString();
        }
        else if (head.Proposal.Changes.OfType<SetLogKeyChange>().FirstOrDefault() is { } rotated)
        {
            ok = rotated.LogKey.ToString() == logKey?.ToString();
        }
        else
        {
            ok = logKey is null ? genesis.LogKey is null : logKey.Name == genesis.Registry;
        }

        if (!ok)
        {
            throw RegistryFormatException.Malformed($"State snapshot's log key ({logKey?.ToString() ?? "none"}) is not the one in force at its head.");
        }
    }

    // The set in force is the genesis set at version 0, the set a head's set_signers installed, or otherwise
    // the set that authorised the head (its signer_set_version). Only the last case cannot be compared byte
    // for byte from the head alone.
    private static void RequireSignerSetInForce(GenesisRecord genesis, CommitRecord? head, SignerSet signerSet)
    {
        var installed = head?.Proposal.Changes.OfType<SetSignersChange>().FirstOrDefault()?.SignerSet ?? (head is null ? genesis.SignerSet : null);
        var ok = installed is not null
            ? installed.ToCanonicalBytes().AsSpan().SequenceEqual(signerSet.ToCanonicalBytes())
            : signerSet.Version == head!.SignerSetVersion;
        if (!ok)
        {
            throw RegistryFormatException.Malformed($"State snapshot's signer set (version {signerSet.Version}) is not the one in force at its head.");
        }
    }

    private static SignerSet SignerSetFrom(byte[] canonical)
    {
        using var document = Json.CanonicalJson.Parse(canonical);
        return SignerSet.FromJson(document.RootElement);
    }

    private static readonly long s_minUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long s_maxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly bool AtEnd => _rest.IsEmpty;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > _rest.Length)
            {
                throw RegistryFormatException.Malformed("State snapshot is truncated.");
            }

            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }

        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public bool Flag() => Take(1)[0] switch
        {
            0 => false,
            1 => true,
            var other => throw RegistryFormatException.Malformed($"State snapshot holds a flag byte {other}, not 0 or 1."),
        };

        public int U32()
        {
            var value = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
            // Every length or count is bounded by the bytes left (each item takes at least one byte).
            return value > (uint)_rest.Length ? throw RegistryFormatException.Malformed("State snapshot is truncated.") : (int)value;
        }

        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public Timestamp Timestamp()
        {
            var ms = I64();
            return ms >= s_minUnixMs && ms <= s_maxUnixMs ? new Timestamp(ms) : throw RegistryFormatException.Malformed($"State snapshot holds an out-of-range time {ms}.");
        }

        public ReadOnlySpan<byte> Bytes() => Take(U32());

        public string String() => Encoding.UTF8.GetString(Take(U16()));
    }
}
