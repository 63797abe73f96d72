namespace Strata.Core.Encryption;

/// <summary>
/// A key-encryption key: wraps a backup's data key, and unwraps it again at restore. An Azure Key Vault key
/// (wrapKey/unwrapKey over REST), a local RSA key (a public key only wraps), or a local AES key.
/// </summary>
public interface IKeyEncryptionKey
{
    /// <summary>For people: the configured name, or the reference it was read from (never key material).</summary>
    string Name { get; }

    /// <summary>Whether it can wrap (a local RSA public key can; so can every other kind).</summary>
    bool CanWrap { get; }

    /// <summary>Whether it can unwrap (false for a local RSA public key: its private half is held elsewhere).</summary>
    bool CanUnwrap { get; }

    /// <summary>Wraps <paramref name="dataKey"/>.</summary>
    /// <exception cref="KeyUnwrapException">The key could not be used (named, with why).</exception>
    Task<WrappedKey> WrapAsync(DataKey dataKey, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="wrapped"/> was wrapped by this key (its key id), so unwrapping is worth trying.</summary>
    bool Matches(WrappedKey wrapped);

    /// <summary>Unwraps <paramref name="wrapped"/>.</summary>
    /// <exception cref="KeyUnwrapException">Wrong key, unreadable key, or the vault refused (named, with why).</exception>
    Task<DataKey> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default);
}
