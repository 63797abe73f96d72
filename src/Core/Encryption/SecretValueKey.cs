using System.Security.Cryptography;

namespace Strata.Core.Encryption;

/// <summary>
/// A backup's data key made ready for <see cref="SecretValueCipher"/>: one AES-256-GCM context (the key schedule and
/// the native cipher state) for all of a backup's Secret values, instead of one per value. Not thread-safe: one thread
/// at a time. Disposing it frees the context and the copy of the key it holds; the <see cref="DataKey"/> stays its
/// owner's.
/// </summary>
public sealed class SecretValueKey : IDisposable
{
    /// <summary>Sets up the cipher for <paramref name="key"/>.</summary>
    public SecretValueKey(DataKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Aes = new AesGcm(key.Bytes, SecretValueCipher.TagSize);
    }

    internal AesGcm Aes { get; }

    /// <inheritdoc />
    public void Dispose() => Aes.Dispose();
}
