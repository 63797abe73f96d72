namespace Strata.Core.Encryption;

/// <summary>A key-encryption key could not wrap or unwrap: the message names the key and why, never key material.</summary>
public sealed class KeyUnwrapException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyUnwrapException(string message, bool isTransient = false, Exception? innerException = null)
        : base(message, innerException) => IsTransient = isTransient;

    /// <summary>Creates the exception.</summary>
    public KeyUnwrapException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyUnwrapException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyUnwrapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether trying again may succeed (the vault was unreachable or throttled).</summary>
    public bool IsTransient { get; }
}
