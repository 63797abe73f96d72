namespace Strata.Core.Etcd;

/// <summary>One configured endpoint's status reading when the snapshot's member was chosen.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="MemberId">The member that answered (16 hex digits); null when it did not.</param>
/// <param name="RaftIndex">Its raft committed index; null when it did not answer.</param>
/// <param name="Chosen">The snapshot was read from it.</param>
/// <param name="Problem">
/// Why it was not chosen: down, of another cluster than the other endpoints, a <c>CORRUPT</c> alarm on it or no leader,
/// a learner, behind (<c>applied index 1200 &lt; 1215</c>); null for the chosen one and for members passed over only
/// because an earlier endpoint tied.
/// </param>
public sealed record EtcdEndpointReading(string Endpoint, string? MemberId, ulong? RaftIndex, bool Chosen, string? Problem)
{
    /// <summary>
    /// Its applied index — how far its backend state, and so a snapshot of it, reaches — which members are ordered by
    /// (its committed index where etcd before 3.4 reports none); null when it did not answer.
    /// </summary>
    public ulong? AppliedIndex { get; init; }

    /// <summary>Its store's revision, which orders members of the same applied index; null when it did not answer.</summary>
    public long? Revision { get; init; }

    /// <summary>The cluster it belongs to (16 hex digits); null when it did not answer.</summary>
    public string? ClusterId { get; init; }

    /// <summary>
    /// What it reported that does not pass it over but is worth a warning on the backup: the cluster's alarms
    /// (<c>alarm NOSPACE on member 0000000000000002</c> — etcd still serves a snapshot then), other errors.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Equal field by field, the warnings by their sequence (a record compares lists by reference).</summary>
    public bool Equals(EtcdEndpointReading? other) =>
        other is not null && Endpoint == other.Endpoint && MemberId == other.MemberId && RaftIndex == other.RaftIndex && Chosen == other.Chosen
        && Problem == other.Problem && AppliedIndex == other.AppliedIndex && Revision == other.Revision && ClusterId == other.ClusterId
        && Warnings.SequenceEqual(other.Warnings, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Endpoint, MemberId, RaftIndex, Chosen, Problem, AppliedIndex, Revision, ClusterId);
}
