namespace Strata.Core.Coverage;

/// <summary>
/// One cluster's inventory of stateful things and what protects each: the survey the layered strategy asks teams to
/// do by hand. <c>strata coverage</c> prints it; the coverage timer stores the latest per cluster for the status page.
/// </summary>
public sealed record CoverageReport
{
    /// <summary>The cluster.</summary>
    public required string Cluster { get; init; }

    /// <summary>When the cluster was surveyed.</summary>
    public required DateTimeOffset SurveyedAt { get; init; }

    /// <summary>Every stateful thing found, ordered by namespace, kind and name.</summary>
    public IReadOnlyList<CoverageEntry> Entries { get; init; } = [];

    /// <summary>Why the survey could not finish (the cluster could not be reached), when it could not; never a secret.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// How many protected and rebuildable entries were left out of <see cref="Entries"/> because the report was too large
    /// to keep whole (<see cref="WithoutCovered"/>); 0 when it is whole.
    /// </summary>
    public int OmittedCovered { get; init; }

    /// <summary>The report with only its unprotected entries, counting the others in <see cref="OmittedCovered"/>: what a store keeps of a report too large for it.</summary>
    public CoverageReport WithoutCovered() =>
        this with { Entries = Unprotected.ToList(), OmittedCovered = OmittedCovered + Entries.Count(e => e.State != CoverageState.Unprotected) };

    /// <summary>The entries nothing protects.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<CoverageEntry> Unprotected => Entries.Where(e => e.State == CoverageState.Unprotected);
}
