using Registry.Api.HighAvailability;

namespace Registry.Api.Hosting;

/// <summary>
/// What <c>/readyz</c> reports. Read readiness needs storage open, recovery and chain verification done,
/// and both listeners bound; write readiness also needs the write plane unfrozen and storage writable,
/// so it drops first (read-only mode, storage fault, full disk, a write plane that stopped after a fault).
/// </summary>
/// <param name="readOnly">The write plane is frozen (<c>--read-only</c>).</param>
/// <param name="storageWritable">Whether appends can succeed now.</param>
/// <param name="role">This node's role (<see cref="Replication.ReplicaRole"/>): a replica or a demoted primary never takes writes; null: a primary.</param>
/// <param name="writePlaneHalted">True once the write plane stopped for good after a fault (<c>write_plane</c> missing until a restart).</param>
/// <param name="ha">On an HA node (etcd backend), its view of the cluster: writes need this node elected and etcd reachable.</param>
/// <remarks>Thread-safe.</remarks>
public sealed class Readiness(bool readOnly, Func<bool> storageWritable, Replication.ReplicaRole? role = null, Func<bool>? writePlaneHalted = null, EtcdNodeStatus? ha = null)
{
    private volatile bool _storageOpen;
    private volatile bool _recovered;
    private volatile bool _apiBound;
    private volatile bool _adminBound;
    private volatile bool _stopping;

    /// <summary>True in <c>--read-only</c> mode.</summary>
    public bool ReadOnly { get; } = readOnly;

    /// <summary>True while this node is a primary that was demoted (<c>ronctl replica demote</c>): writes answer 503 ReadOnly.</summary>
    public bool Demoted => role?.Demoted == true;

    /// <summary>Storage opened.</summary>
    public void StorageOpened() => _storageOpen = true;

    /// <summary>Recovery and chain verification finished.</summary>
    public void RecoveryDone() => _recovered = true;

    /// <summary>The API listener is bound.</summary>
    public void ApiBound() => _apiBound = true;

    /// <summary>The admin listener is bound.</summary>
    public void AdminBound() => _adminBound = true;

    /// <summary>Shutdown began: not ready any more.</summary>
    public void Stopping() => _stopping = true;

    /// <summary>Reads can be served.</summary>
    public bool Ready => !Missing(forWrites: false).Any();

    /// <summary>Writes can be accepted.</summary>
    public bool WriteReady => !Missing(forWrites: true).Any();

    /// <summary>The parts that are not ready.</summary>
    public IEnumerable<string> Missing(bool forWrites)
    {
        if (_stopping)
        {
            yield return "shutting_down";
        }

        if (!_storageOpen)
        {
            yield return "storage";
        }

        if (!_recovered)
        {
            yield return "recovery";
        }

        if (!_apiBound)
        {
            yield return "api_listener";
        }

        if (!_adminBound)
        {
            yield return "admin_listener";
        }

        if (forWrites && ReadOnly)
        {
            yield return "read_only";
        }

        if (forWrites && Demoted)
        {
            yield return "demoted";
        }

        if (forWrites && role?.Replica is not null)
        {
            // A replica never takes writes (421 NotPrimary); SPEC §9.
            yield return "not_primary";
        }

        if (forWrites && ha is not null)
        {
            // etcd unreachable or without quorum (or this node halted): no node can write through this one.
            // Reachable but another node elected: writes go there (421 NotPrimary).
            if (ha.Problem is not null)
            {
                yield return "etcd";
            }
            else if (ha.Role != EtcdNodeRole.Writer)
            {
                yield return "not_writer";
            }
        }

        if (forWrites && _storageOpen && !storageWritable())
        {
            yield return "storage_writable";
        }

        if (forWrites && writePlaneHalted?.Invoke() == true)
        {
            yield return "write_plane";
        }
    }
}
