namespace Strata.Core.Etcd;

/// <summary>A member as <c>Cluster.MemberList</c> lists it: what a restore of the cluster needs per member.</summary>
/// <param name="Id">The member's id.</param>
/// <param name="Name">Its name (<c>--name</c>; kubeadm: the node's name). Empty for a member added but not started.</param>
/// <param name="PeerUrls">Its peer URLs (<c>--initial-advertise-peer-urls</c>).</param>
/// <param name="ClientUrls">Its client URLs.</param>
/// <param name="IsLearner">A non-voting learner.</param>
public sealed record EtcdMember(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner);
