namespace Strata.Core.Etcd;

/// <summary>
/// The committed etcd snapshot: where it is, what it is (the bbolt file plus etcd's SHA-256 trailer, checked while it
/// streamed), which member it came from and how far that member's log reached, and the members a restore recreates.
/// </summary>
public sealed record EtcdSnapshotRecord
{
    /// <summary>The artifact's path (<c>etcd/snapshot.db</c>), as <c>etcdctl snapshot save</c> writes it: restorable with <c>etcdutl snapshot restore</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Bytes stored, the trailer included.</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256 of the bytes stored (the artifact's hash, trailer included).</summary>
    public required string Sha256 { get; init; }

    /// <summary>etcd's own SHA-256 of the database (the trailer), as it matched.</summary>
    public required string DatabaseSha256 { get; init; }

    /// <summary>The bbolt page size read from the file's header.</summary>
    public required int PageSize { get; init; }

    /// <summary>The endpoint the snapshot was read from.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The member it came from (16 hex digits).</summary>
    public required string MemberId { get; init; }

    /// <summary>That member's name, from the member list.</summary>
    public string? MemberName { get; init; }

    /// <summary>The cluster's id (16 hex digits).</summary>
    public required string ClusterId { get; init; }

    /// <summary>The store's revision when the member was chosen.</summary>
    public required long Revision { get; init; }

    /// <summary>The raft term when the member was chosen.</summary>
    public required ulong RaftTerm { get; init; }

    /// <summary>The member's raft committed index when it was chosen.</summary>
    public required ulong RaftIndex { get; init; }

    /// <summary>
    /// The member's applied index when it was chosen — how far the backend state the snapshot holds reaches, and what
    /// the member was chosen by (the highest of the usable members'); its committed index on etcd before 3.4, which
    /// reports none; 0 in manifests written before it was recorded.
    /// </summary>
    public ulong RaftAppliedIndex { get; init; }

    /// <summary>The member's database size on disk then, in bytes.</summary>
    public required long DbSize { get; init; }

    /// <summary>The member's etcd version.</summary>
    public required string EtcdVersion { get; init; }

    /// <summary>Every member, as the member list gave them: names and peer URLs for <c>etcdutl snapshot restore</c> per member.</summary>
    public IReadOnlyList<EtcdMemberRecord> Members { get; init; } = [];

    /// <summary>Every configured endpoint's reading, the chosen one marked: why this member and not another.</summary>
    public IReadOnlyList<EtcdEndpointReading> Endpoints { get; init; } = [];

    /// <summary>When the snapshot started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took, from the first status reading to the commit.</summary>
    public required TimeSpan Duration { get; init; }
}
