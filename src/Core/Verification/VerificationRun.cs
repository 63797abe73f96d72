using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.Core.Verification;

/// <summary>
/// Verifies one recorded backup and records the outcome: finds the baseline (the last verified
/// backup of the same policy and cluster), runs <see cref="BackupVerifier"/>, and saves the report
/// with the run, whose status becomes <see cref="BackupStatus.Verified"/> or
/// <see cref="BackupStatus.VerificationFailed"/> — or stays as it was when the report passed but left volume
/// snapshots unchecked (<see cref="VerificationReport.Proves"/>). The one path for the verify worker, <c>strata backup
/// verify</c> and the verification that follows <c>strata backup create</c>.
/// </summary>
public static class VerificationRun
{
    /// <summary>
    /// Verifies <paramref name="record"/>'s backup in <paramref name="store"/> and returns the updated, saved record;
    /// <paramref name="cluster"/> connects to the backup's cluster, for its volume snapshots (see <see cref="BackupVerifier.VerifyAsync"/>);
    /// <paramref name="keyring"/> unwraps an encrypted backup's data key and checks its signature.
    /// </summary>
    public static async Task<BackupRecord> RunAsync(
        IArtifactStore store, IRunHistory history, TimeProvider time, BackupRecord record, double driftThreshold = DriftCheck.DefaultThreshold,
        Func<CancellationToken, Task<IClusterWriter>>? cluster = null, Encryption.Keyring? keyring = null, CancellationToken cancellationToken = default)
    {
        var baseline = await BaselineAsync(history, record, cancellationToken);
        var report = await new BackupVerifier(store, BackupVerifier.LayerChecks, time, keyring).VerifyAsync(record, baseline?.Verification, driftThreshold, cluster, cancellationToken);

        // A partial capture stays PartiallyFailed when its artifacts check out: what it did commit is
        // sound, but it is not a complete backup, so it does not count as verified. A report that left
        // volume snapshots unchecked (no cluster connection) proves nothing about them: it may lower the
        // status, never raise it — a backup whose snapshot is gone must not become Verified because this
        // time nobody looked.
        var status = !report.Passed ? BackupStatus.VerificationFailed
            : !report.Proves ? record.Status
            : record.IsPartial ? BackupStatus.PartiallyFailed
            : BackupStatus.Verified;
        var updated = record with { Status = status, Verification = report };
        await history.SaveBackupAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>
    /// The baseline for drift: the last verified backup of the same policy, cluster and scope that started before
    /// <paramref name="record"/> and showed no drift itself — so a backup that lost half the cluster does not become
    /// the yardstick that makes the next one look normal (drift stays reported until the counts recover).
    /// </summary>
    private static async Task<BackupRecord?> BaselineAsync(IRunHistory history, BackupRecord record, CancellationToken cancellationToken)
    {
        await foreach (var candidate in history.ListBackupsAsync(cancellationToken))
        {
            if (candidate.Id != record.Id && candidate.Policy == record.Policy && candidate.Cluster == record.Cluster && candidate.StartedAt < record.StartedAt
                && candidate.IsVerified && candidate.Verification is { } report && !DriftCheck.Of(report).Any()
                && (candidate.Scope is null || record.Scope is null || candidate.Scope.SameAs(record.Scope)))
            {
                return candidate;
            }
        }

        return null;
    }
}
