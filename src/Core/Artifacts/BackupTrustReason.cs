namespace Strata.Core.Artifacts;

/// <summary>Why a backup could not be trusted or opened (<see cref="BackupTrustException"/>).</summary>
public enum BackupTrustReason
{
    /// <summary><c>manifest.sig</c> does not match the manifest's bytes: the manifest or the signature was changed after signing.</summary>
    InvalidSignature,

    /// <summary>A signature was required, and the manifest has none, or one by a key Strata does not hold.</summary>
    NotSigned,

    /// <summary>No configured key-encryption key unwraps the backup's data key.</summary>
    NoKeyUnwraps,

    /// <summary>The manifest's encryption scheme is not one this Strata reads.</summary>
    UnknownScheme,
}
