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

    /// <summary>Where a restore asked for without an id gets the unique part of one. Default: none wired (such a request fails).</summary>
    public Ports.IIdSource Ids { get; init; } = Ports.UnwiredIdSource.Instance;

    /// <summary>
    /// Refuse every backup whose manifest is not signed by <see cref="Keyring"/>'s signer, whatever the run history says.
    /// Default false: the signature is required as <see cref="SignatureRequiredFor"/> says.
    /// </summary>
    public bool RequireSignature { get; init; }

    /// <summary>
    /// Open a backup without a valid signature (reported unsigned) even where one is required: <c>--allow-unsigned</c>, for
    /// a backup known to be written before signing. Default false.
    /// </summary>
    public bool AllowUnsigned { get; init; }

    /// <summary>
    /// Whether the backup <paramref name="recorded"/> (null: found only in the store) must carry a valid signature to be
    /// opened: when the run history says it was signed (<see cref="Runs.BackupRecord.SignedBy"/> — the history is kept
    /// apart from the artifacts, so deleting <c>manifest.sig</c> does not change it), or when it is not in the history and
    /// <see cref="Keyring"/> has a signer; never with <see cref="AllowUnsigned"/> or <paramref name="allowUnsigned"/>. A
    /// backup the history records as unsigned (written before signing) opens, reported unsigned.
    /// </summary>
    public bool SignatureRequiredFor(Runs.BackupRecord? recorded, bool allowUnsigned = false) =>
        !AllowUnsigned && !allowUnsigned
        && (RequireSignature || recorded?.SignedBy is not null || (recorded is null && Keyring.Signer is not null));
}
