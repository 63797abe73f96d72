namespace Strata.Core.Etcd;

/// <summary>One configured endpoint's status reading when the snapshot's member was chosen.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="MemberId">The member that answered (16 hex digits); null when it did not.</param>
/// <param name="RaftIndex">Its raft index; null when it did not answer.</param>
/// <param name="Chosen">The snapshot was read from it.</param>
/// <param name="Problem">Why it was not chosen: down, alarms, a learner, behind (<c>raft index 1200 &lt; 1215</c>); null for the chosen one and for members passed over only because an earlier endpoint tied.</param>
public sealed record EtcdEndpointReading(string Endpoint, string? MemberId, ulong? RaftIndex, bool Chosen, string? Problem);
