namespace Strata.Core.Restore;

/// <summary>Tuning for <see cref="BackupRestore"/>.</summary>
public sealed record RestoreOptions
{
    /// <summary>Objects applied at once within a tier. Default 16 (the client's connection pool).</summary>
    public int Parallelism { get; init; } = 16;

    /// <summary>How long to wait for a restored CustomResourceDefinition to be Established. Default 60 s.</summary>
    public TimeSpan EstablishTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to look while waiting. Default 250 ms.</summary>
    public TimeSpan EstablishPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long to wait for a VolumeSnapshot the restore created (bound to a pre-provisioned VolumeSnapshotContent) to
    /// be <c>readyToUse</c> before its claim is given up as failed. Default 5 min: the snapshot controller binds at once,
    /// but the CSI driver checks the handle with the storage system, and a cloud's API may take its time.
    /// </summary>
    public TimeSpan SnapshotReadyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often to look while waiting for those VolumeSnapshots. Default 2 s.</summary>
    public TimeSpan SnapshotPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Scratch space for the archive's documents between verification and apply (one stream per
    /// resource type; read back once, then disposed). Default: memory. The CLI passes temporary files.
    /// </summary>
    public Func<Stream> Scratch { get; init; } = () => new MemoryStream();

    /// <summary>
    /// The keys that unwrap an encrypted backup's data key, and the signer that checks manifest signatures
    /// (<see cref="Artifacts.BackupOpening"/>). Default: none — an encrypted backup is refused, a signed one reported unchecked.
    /// </summary>
    public Encryption.Keyring Keyring { get; init; } = Encryption.Keyring.None;

    /// <summary>Refuse a backup whose manifest is not signed by <see cref="Keyring"/>'s signer. Default false: an unsigned (older) backup restores, reported unsigned.</summary>
    public bool RequireSignature { get; init; }
}
