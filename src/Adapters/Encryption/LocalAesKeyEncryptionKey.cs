using System.Security.Cryptography;
using Strata.Core.Configuration;
using Strata.Core.Encryption;
using Strata.Core.Ports;

namespace Strata.Adapters.Encryption;

/// <summary>
/// A local 256-bit AES key (base64 in a secret: an environment variable, a file, a Key Vault secret) that wraps data
/// keys with AES-256-GCM: 12-byte random nonce ‖ ciphertext ‖ 16-byte tag, associated data <c>strata:v1:kek</c>.
/// The secret is resolved on first use (and again after a failure). Key id: <c>local:aes:</c> + the first 16 hex
/// digits of SHA-256(<c>strata-kek-id</c> ‖ key).
/// </summary>
public sealed class LocalAesKeyEncryptionKey : IKeyEncryptionKey
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private static readonly byte[] AssociatedData = "strata:v1:kek"u8.ToArray();
    private static readonly byte[] KeyIdContext = "strata-kek-id"u8.ToArray();

    private readonly SecretReference? _reference;
    private readonly ISecretValues? _secrets;
    private readonly SemaphoreSlim _resolving = new(1, 1);
    private byte[]? _key;
    private string? _keyId;

    /// <summary>A key read from <paramref name="reference"/> on first use.</summary>
    public LocalAesKeyEncryptionKey(string name, SecretReference reference, ISecretValues secrets)
    {
        Name = name;
        _reference = reference;
        _secrets = secrets;
    }

    private LocalAesKeyEncryptionKey(string name, byte[] key)
    {
        Name = name;
        _key = key;
        _keyId = KeyIdOf(key);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool CanWrap => true;

    /// <inheritdoc />
    public bool CanUnwrap => true;

    /// <summary>A key from its 32 bytes (tests, and keys already in hand).</summary>
    /// <exception cref="KeyUnwrapException">Not 32 bytes.</exception>
    public static LocalAesKeyEncryptionKey FromBytes(string name, ReadOnlySpan<byte> key) =>
        key.Length == DataKey.Size
            ? new LocalAesKeyEncryptionKey(name, key.ToArray())
            : throw new KeyUnwrapException($"key '{name}': an AES key-encryption key has {DataKey.Size} bytes, not {key.Length}");

    /// <summary>The key id of <paramref name="key"/>.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> key)
    {
        var input = new byte[KeyIdContext.Length + key.Length];
        KeyIdContext.CopyTo(input, 0);
        key.CopyTo(input.AsSpan(KeyIdContext.Length));
        var id = "local:aes:" + Convert.ToHexStringLower(SHA256.HashData(input))[..16];
        CryptographicOperations.ZeroMemory(input);
        return id;
    }

    /// <summary>The key id, once the key is resolved.</summary>
    public async Task<string> GetKeyIdAsync(CancellationToken cancellationToken = default)
    {
        await ResolveAsync(cancellationToken);
        return _keyId!;
    }

    /// <inheritdoc />
    public async Task<WrappedKey> WrapAsync(DataKey dataKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataKey);
        var key = await ResolveAsync(cancellationToken);
        var wrapped = new byte[NonceSize + DataKey.Size + TagSize];
        RandomNumberGenerator.Fill(wrapped.AsSpan(0, NonceSize));
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(wrapped.AsSpan(0, NonceSize), dataKey.Bytes, wrapped.AsSpan(NonceSize, DataKey.Size), wrapped.AsSpan(NonceSize + DataKey.Size), AssociatedData);
        }

        return new WrappedKey(_keyId!, KeyWrapAlgorithms.Aes256Gcm, Convert.ToBase64String(wrapped)) { Name = Name };
    }

    /// <inheritdoc />
    /// <remarks>Before the secret is first resolved, every A256GCM wrapping is worth trying.</remarks>
    public bool Matches(WrappedKey wrapped) =>
        wrapped is not null && wrapped.Algorithm == KeyWrapAlgorithms.Aes256Gcm && (_keyId is null || wrapped.KeyId == _keyId);

    /// <inheritdoc />
    public async Task<DataKey> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        var key = await ResolveAsync(cancellationToken);
        if (!Matches(wrapped))
        {
            throw new KeyUnwrapException($"key '{Name}' ({_keyId}, {KeyWrapAlgorithms.Aes256Gcm}) did not wrap this data key: it was wrapped by {wrapped.KeyId} ({wrapped.Algorithm})");
        }

        byte[] sealedKey;
        try
        {
            sealedKey = Convert.FromBase64String(wrapped.Value);
        }
        catch (FormatException)
        {
            throw new KeyUnwrapException($"key '{Name}' ({_keyId}): the wrapped data key is not base64");
        }

        if (sealedKey.Length != NonceSize + DataKey.Size + TagSize)
        {
            throw new KeyUnwrapException($"key '{Name}' ({_keyId}): the wrapped data key has {sealedKey.Length} bytes, not {NonceSize + DataKey.Size + TagSize}");
        }

        var plain = new byte[DataKey.Size];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedKey.AsSpan(0, NonceSize), sealedKey.AsSpan(NonceSize, DataKey.Size), sealedKey.AsSpan(NonceSize + DataKey.Size), plain, AssociatedData);
            return DataKey.FromBytes(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new KeyUnwrapException($"key '{Name}' ({_keyId}) cannot unwrap the data key: the wrapping is damaged or was made by another key with the same id");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public override string ToString() => _keyId is null ? $"{Name} ({_reference})" : $"{Name} ({_keyId})";

    private async Task<byte[]> ResolveAsync(CancellationToken cancellationToken)
    {
        if (_key is { } resolved)
        {
            return resolved;
        }

        await _resolving.WaitAsync(cancellationToken);
        try
        {
            if (_key is null)
            {
                var value = await ReadSecretAsync(cancellationToken);
                var key = Parse(value);
                _keyId = KeyIdOf(key);
                _key = key;
            }

            return _key;
        }
        finally
        {
            _resolving.Release();
        }
    }

    private async Task<string> ReadSecretAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _secrets!.ResolveAsync(_reference!, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The resolver's messages name the reference, never the value.
            throw new KeyUnwrapException($"key '{Name}': cannot read {_reference}: {e.Message}", isTransient: _reference!.Source == SecretSource.KeyVault, e);
        }
    }

    private byte[] Parse(string value)
    {
        var buffer = new byte[(value.Length * 3 / 4) + 3];
        try
        {
            if (Convert.TryFromBase64String(value.Trim(), buffer, out var written) && written == DataKey.Size)
            {
                return buffer[..written];
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }

        throw new KeyUnwrapException($"key '{Name}': {_reference} is not the base64 of {DataKey.Size} bytes (an AES-256 key: openssl rand -base64 32)");
    }
}
