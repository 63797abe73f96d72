namespace Strata.Core.Etcd;

/// <summary>What <see cref="EtcdMemberChoice"/> chose.</summary>
/// <param name="Chosen">The chosen endpoint's position in the configured order; null when none is usable.</param>
/// <param name="Readings">Every endpoint's reading, in the configured order, the chosen one marked and the others' reasons given.</param>
/// <param name="NoneBecause">Why none was chosen; null when one was.</param>
public sealed record EtcdChoice(int? Chosen, IReadOnlyList<EtcdEndpointReading> Readings, string? NoneBecause)
{
    /// <summary>None was chosen because the endpoints that answered belong to different etcd clusters (a configuration mistake).</summary>
    public bool ClustersDisagree { get; init; }

    /// <summary>Every reading on one line each: <c>https://10.0.0.11:2379: did not answer: …</c>.</summary>
    public string Describe() => string.Join("; ", Readings.Select(r => $"{r.Endpoint}: {(r.Chosen ? "chosen" : r.Problem ?? "tied, an earlier endpoint chosen")}"));
}
