using Strata.Core.Artifacts;
using Strata.Core.Results;

namespace Strata.Core.Verification;

/// <summary>
/// The result of reading a backup back from the store and checking it against its manifest (and
/// against the last verified backup of the same policy and cluster). Kept in the run history with
/// the backup's record; a backup is good only once a report without errors says so.
/// </summary>
public sealed record VerificationReport
{
    /// <summary>The most findings a report keeps; the rest are counted in <see cref="OmittedFindings"/>.</summary>
    public const int MaxFindings = 200;

    /// <summary>The backup verified.</summary>
    public required string BackupId { get; init; }

    /// <summary>When verification started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Every artifact the manifest lists, as read.</summary>
    public IReadOnlyList<ArtifactVerification> Artifacts { get; init; } = [];

    /// <summary>Objects found in the archives, by resource and namespace (compared with the manifest's, and with the next backup's for drift).</summary>
    public ObjectCounts? Counts { get; init; }

    /// <summary>What was found wrong (errors) or suspicious (warnings), the first <see cref="MaxFindings"/>.</summary>
    public IReadOnlyList<VerificationFinding> Findings { get; init; } = [];

    /// <summary>Findings beyond <see cref="MaxFindings"/>, counted but not kept.</summary>
    public int OmittedFindings { get; init; }

    /// <summary>Errors, counted over all findings (kept and omitted).</summary>
    public int ErrorCount { get; init; }

    /// <summary>The verified backup compared with for drift, if there was one.</summary>
    public string? BaselineBackupId { get; init; }

    /// <summary>
    /// Committed volume snapshots the manifest records that were not checked against their cluster: there was no
    /// connection (<c>strata backup verify</c> without <c>--config</c>). Their data is not proven, so the report may not
    /// raise the run's status (<see cref="VerificationRun"/>); 0 for an older report.
    /// </summary>
    public int UncheckedSnapshots { get; init; }

    /// <summary>What the manifest's signature said; null for an older report, or a backup whose manifest could not be read.</summary>
    public Encryption.SignatureCheck? Signature { get; init; }

    /// <summary>No errors: every artifact is there, whole, readable and agrees with the manifest.</summary>
    public bool Passed => ErrorCount == 0;

    /// <summary>No errors and nothing left unchecked: the report proves the backup, and may make it <see cref="Runs.BackupStatus.Verified"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Proves => Passed && UncheckedSnapshots == 0;

    /// <summary>The findings that are warnings.</summary>
    public IEnumerable<VerificationFinding> Warnings => Findings.Where(f => f.Severity == ProblemSeverity.Warning);

    /// <summary>The findings that are errors.</summary>
    public IEnumerable<VerificationFinding> Errors => Findings.Where(f => f.Severity == ProblemSeverity.Error);
}
