namespace Strata.Core.Etcd;

/// <summary>A member of the cluster at backup time, as the restore guide needs it.</summary>
/// <param name="Id">Its id (16 hex digits).</param>
/// <param name="Name">Its name.</param>
/// <param name="PeerUrls">Its peer URLs.</param>
/// <param name="ClientUrls">Its client URLs.</param>
/// <param name="IsLearner">A non-voting learner.</param>
public sealed record EtcdMemberRecord(string Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner);
