namespace Strata.Adapters.KeyVault;

/// <summary>
/// A Key Vault keys request failed: the operation (<c>wrapKey</c>, <c>unwrapKey</c>, <c>sign</c>, <c>get</c>), the key,
/// the HTTP status (0 when no answer came), the vault's error code (<c>KeyNotFound</c>, <c>Forbidden</c>,
/// <c>Throttled</c>, …) and whether trying again may help. The message says what the identity needs when the vault
/// refused it; it never holds key material, a wrapped or unwrapped key, a digest or a token.
/// </summary>
public sealed class KeyVaultRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyVaultRequestException(string message, string operation, string keyId, int status, string? errorCode, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        Operation = operation;
        KeyId = keyId;
        Status = status;
        ErrorCode = errorCode;
        IsTransient = isTransient;
    }

    /// <summary>The REST operation: <c>wrapKey</c>, <c>unwrapKey</c>, <c>sign</c> or <c>get</c>.</summary>
    public string Operation { get; }

    /// <summary>The key asked for (a kid, with its version when one was given).</summary>
    public string KeyId { get; }

    /// <summary>
    /// The HTTP status; 0 when no request was answered (the vault could not be reached, no token could be had, or the
    /// vault URL is not HTTPS); 200 when the vault answered but the answer cannot be used (not JSON, no value, a key
    /// that cannot do what was asked).
    /// </summary>
    public int Status { get; }

    /// <summary>The vault's error code (<c>error.code</c>), when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Throttling (429), timeouts (408), server errors (5xx) and an unreachable vault are worth retrying.</summary>
    public bool IsTransient { get; }

    /// <summary>The statuses worth retrying.</summary>
    public static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500;
}
