namespace Strata.Core.Backup;

/// <summary>A backup to take.</summary>
/// <param name="Cluster">Cluster name, as recorded and used in storage keys.</param>
/// <param name="Scope">What to take.</param>
/// <param name="Policy">Policy name; <c>adhoc</c> when asked for by hand.</param>
/// <param name="BackupId">A precomputed id (scheduled backups derive theirs); a new one when null.</param>
/// <param name="RetainFor">How long the store keeps the artifacts write-once, recorded as the run's retain-until date.</param>
/// <param name="RequestedBy">Who or what asked, recorded.</param>
public sealed record BackupRequest(string Cluster, BackupScope Scope, string Policy = "adhoc", string? BackupId = null, TimeSpan? RetainFor = null, string? RequestedBy = null)
{
    /// <summary>
    /// What to encrypt client-side (the policy's <c>encrypt:</c>, see <c>EncryptionSettings.ModeFor</c>), with the keys of
    /// <see cref="BackupCaptureOptions.Keyring"/>. Anything but none with no key that can wrap fails the run before
    /// anything is written. Default: nothing.
    /// </summary>
    public Encryption.EncryptionMode Encrypt { get; init; }
}
