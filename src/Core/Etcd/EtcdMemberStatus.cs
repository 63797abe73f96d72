namespace Strata.Core.Etcd;

/// <summary>A member's <c>Maintenance.Status</c> reading.</summary>
/// <param name="MemberId">The responding member's id.</param>
/// <param name="ClusterId">The cluster's id.</param>
/// <param name="Revision">The key-value store's revision when it answered.</param>
/// <param name="RaftTerm">The raft term.</param>
/// <param name="RaftIndex">The raft committed index: how far the member's log reaches.</param>
/// <param name="RaftAppliedIndex">The raft applied index (0 where the member does not report it, etcd before 3.4).</param>
/// <param name="Leader">The member the responder believes leads.</param>
/// <param name="DbSize">The backend database's size on disk, in bytes.</param>
/// <param name="Version">The member's etcd version (<c>3.5.12</c>).</param>
/// <param name="Errors">
/// What the member reports wrong, as etcd writes it: the whole cluster's alarms, each naming the member it is raised on
/// (<c>memberID:15300616325842721311 alarm:NOSPACE</c>), and <c>etcdserver: no leader</c>; empty when healthy. Read
/// with <see cref="EtcdStatusError.Parse"/>.
/// </param>
/// <param name="IsLearner">A non-voting learner: never chosen while a voting member answers.</param>
public sealed record EtcdMemberStatus(
    ulong MemberId, ulong ClusterId, long Revision, ulong RaftTerm, ulong RaftIndex, ulong RaftAppliedIndex, ulong Leader,
    long DbSize, string Version, IReadOnlyList<string> Errors, bool IsLearner)
{
    /// <summary>The member id as etcdctl prints it (16 hex digits).</summary>
    public string MemberHex => EtcdIds.Hex(MemberId);

    /// <summary>
    /// How far the member's backend state reaches — what a snapshot of it holds: the applied index, or the committed
    /// index where the member does not report one (0, etcd before 3.4).
    /// </summary>
    public ulong AppliedIndex => RaftAppliedIndex != 0 ? RaftAppliedIndex : RaftIndex;

    /// <summary>Its errors, read (<see cref="EtcdStatusError"/>).</summary>
    public IReadOnlyList<EtcdStatusError> ReadErrors() => [.. Errors.Select(EtcdStatusError.Parse)];
}
