using System.IO.Compression;

namespace Strata.Core.Backup;

/// <summary>Tuning for <see cref="BackupCapture"/>; the defaults suit a 2-core machine and a busy API server.</summary>
public sealed record BackupCaptureOptions
{
    /// <summary>Where a backup asked for without an id gets the unique part of one. Default: none wired (such a request fails).</summary>
    public Ports.IIdSource Ids { get; init; } = Ports.UnwiredIdSource.Instance;

    /// <summary>Resource types listed at once. Default 4.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>The <c>limit</c> of each list page. Default 500, as kubectl uses.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Gzip level of the archive. Default <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel Compression { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// How long the run record's lease lasts; the running process renews it every third of this. A run
    /// whose lease ran out without a manifest died (see <see cref="Runs.BackupStatus.Interrupted"/>). Default 2 minutes.
    /// </summary>
    public TimeSpan RunLease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The keys that wrap each encrypted backup's data key (every one that can wrap), and the manifest signer (when set,
    /// every manifest is signed). Default: none.
    /// </summary>
    public Encryption.Keyring Keyring { get; init; } = Encryption.Keyring.None;

    /// <summary>Version written into manifests.</summary>
    public string ToolVersion { get; init; } = typeof(BackupCapture).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
