using System.IO.Compression;
using Strata.Core.Artifacts;
using Strata.Core.Runs;

namespace Strata.Core.Backup;

/// <summary>A backup to take.</summary>
/// <param name="Cluster">Cluster name, as recorded and used in storage keys.</param>
/// <param name="Scope">What to take.</param>
/// <param name="Policy">Policy name; <c>adhoc</c> when asked for by hand.</param>
/// <param name="BackupId">A precomputed id (scheduled backups derive theirs); a new one when null.</param>
/// <param name="RetainFor">How long the store keeps the artifacts write-once, recorded as the run's retain-until date.</param>
/// <param name="RequestedBy">Who or what asked, recorded.</param>
public sealed record BackupRequest(string Cluster, BackupScope Scope, string Policy = "adhoc", string? BackupId = null, TimeSpan? RetainFor = null, string? RequestedBy = null);

/// <summary>Tuning for <see cref="BackupCapture"/>; the defaults suit a 2-core machine and a busy API server.</summary>
public sealed record BackupCaptureOptions
{
    /// <summary>Resource types listed at once. Default 4.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>The <c>limit</c> of each list page. Default 500, as kubectl uses.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Gzip level of the archive. Default <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel Compression { get; init; } = CompressionLevel.Fastest;

    /// <summary>Version written into manifests.</summary>
    public string ToolVersion { get; init; } = typeof(BackupCapture).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

/// <summary>Progress of a running backup.</summary>
/// <param name="ResourceTypesDone">Resource types finished.</param>
/// <param name="ResourceTypesTotal">Resource types planned.</param>
/// <param name="Objects">Objects captured so far.</param>
/// <param name="Bytes">Uncompressed document bytes so far.</param>
/// <param name="Current">The resource type that just finished.</param>
public sealed record BackupProgress(int ResourceTypesDone, int ResourceTypesTotal, long Objects, long Bytes, string? Current);

/// <summary>How a backup ended: its run record and, when one was committed, its manifest.</summary>
public sealed record BackupOutcome(BackupRecord Record, BackupManifest? Manifest);
