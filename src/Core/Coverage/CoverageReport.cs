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

    /// <summary>
    /// How many unprotected entries were left out of <see cref="Entries"/> as well, because even they alone were too large
    /// to keep (<see cref="WithFirstUnprotected"/>); 0 when every unprotected entry is kept.
    /// </summary>
    public int OmittedUnprotected { get; init; }

    /// <summary>
    /// Why the latest survey failed, when one failed after this report's: <see cref="Entries"/> and
    /// <see cref="SurveyedAt"/> are still those of the last survey that finished (<see cref="AfterFailedSurvey"/>);
    /// null when the latest survey is this one. Never a secret.
    /// </summary>
    public string? LastError { get; init; }

    /// <summary>When the survey that failed with <see cref="LastError"/> ran; null when there is none.</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>How many stateful things the survey found, counting those left out of <see cref="Entries"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int StatefulCount => Entries.Count + OmittedCovered + OmittedUnprotected;

    /// <summary>How many of them nothing protects, counting those left out of <see cref="Entries"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int UnprotectedCount => Unprotected.Count() + OmittedUnprotected;

    /// <summary>
    /// What to keep after <paramref name="failed"/>, a later survey that did not finish: this report's entries and survey
    /// time, with the failure beside them — a failed survey learnt nothing about what is there, so it must not read as
    /// "0 unprotected". When this report is itself a failure (never surveyed), the newer failure replaces it.
    /// </summary>
    public CoverageReport AfterFailedSurvey(CoverageReport failed) =>
        Error is not null ? failed : this with { LastError = failed.Error, LastAttemptAt = failed.SurveyedAt };

    /// <summary>
    /// The report with only its first <paramref name="count"/> unprotected entries, counting the others in
    /// <see cref="OmittedUnprotected"/> and every covered one in <see cref="OmittedCovered"/>: what a store keeps when even
    /// the unprotected entries alone are too large for it.
    /// </summary>
    public CoverageReport WithFirstUnprotected(int count)
    {
        var trimmed = WithoutCovered();
        var kept = trimmed.Entries.Take(count).ToList();
        return trimmed with { Entries = kept, OmittedUnprotected = trimmed.OmittedUnprotected + trimmed.Entries.Count - kept.Count };
    }

    /// <summary>The report with only its unprotected entries, counting the others in <see cref="OmittedCovered"/>: what a store keeps of a report too large for it.</summary>
    public CoverageReport WithoutCovered() =>
        this with { Entries = Unprotected.ToList(), OmittedCovered = OmittedCovered + Entries.Count(e => e.State != CoverageState.Unprotected) };

    /// <summary>The entries nothing protects.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<CoverageEntry> Unprotected => Entries.Where(e => e.State == CoverageState.Unprotected);
}
