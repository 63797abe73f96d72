namespace Strata.Core.Etcd;

/// <summary>
/// One etcd endpoint, through etcd's v3 gRPC API. Every call fails as <see cref="EtcdRequestException"/> (unreachable,
/// TLS refused, deadline passed, an error etcd returned) with the endpoint and the reason in its message.
/// </summary>
public interface IEtcdMember
{
    /// <summary>The endpoint's client URL.</summary>
    Uri Endpoint { get; }

    /// <summary><c>Maintenance.Status</c>: the member's id, raft term and index, revision, db size, version and alarms.</summary>
    Task<EtcdMemberStatus> StatusAsync(CancellationToken cancellationToken = default);

    /// <summary><c>Cluster.MemberList</c>: every member with its name, peer and client URLs.</summary>
    Task<IReadOnlyList<EtcdMember>> MemberListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>Maintenance.Snapshot</c>: the member's backend database as etcd streams it, chunk by chunk — the bbolt file
    /// followed by etcd's SHA-256 of it (32 bytes) — read at the caller's pace.
    /// </summary>
    IAsyncEnumerable<EtcdSnapshotChunk> SnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>KV.Range</c> with <c>keys_only</c>, paged: every key that starts with <paramref name="prefix"/>, in key order
    /// (UTF-8 decoded; etcd keys of Kubernetes are text).
    /// </summary>
    IAsyncEnumerable<string> KeysAsync(string prefix, CancellationToken cancellationToken = default);
}
