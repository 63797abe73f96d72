namespace Strata.Core.Artifacts;

/// <summary>
/// A backup that must not be read: its manifest's signature is invalid (or missing where one is required), or its
/// data key cannot be unwrapped. Raised by <see cref="BackupOpening"/> before anything is read from the backup or
/// applied anywhere; the message names the backup and the keys, never key material.
/// </summary>
public sealed class BackupTrustException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BackupTrustException(BackupTrustReason reason, string message, bool isTransient = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        IsTransient = isTransient;
    }

    /// <summary>Creates the exception.</summary>
    public BackupTrustException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BackupTrustException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BackupTrustException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why.</summary>
    public BackupTrustReason Reason { get; }

    /// <summary>Whether trying again may succeed (a key vault was unreachable or throttled).</summary>
    public bool IsTransient { get; }
}
