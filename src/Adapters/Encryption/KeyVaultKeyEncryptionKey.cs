using System.Security.Cryptography;
using Strata.Adapters.KeyVault;
using Strata.Core.Configuration;
using Strata.Core.Encryption;

namespace Strata.Adapters.Encryption;

/// <summary>
/// A key-encryption key in Azure Key Vault: the data key is wrapped and unwrapped by the vault (<c>RSA-OAEP-256</c>),
/// so the private key never leaves it. A wrapping records the versioned kid the vault answered; unwrapping asks for
/// that version (on the configured vault, never a host read from a manifest), so a rotated key still opens older
/// backups while the old version is enabled.
/// </summary>
/// <param name="name">The configured name (<c>encryption.keys[].name</c>).</param>
/// <param name="key">The key; a pinned version wraps with (and matches only) that version.</param>
/// <param name="vault">The Key Vault client.</param>
/// <param name="time">Stamps <see cref="WrappedKey.WrappedAt"/>; none leaves it unset.</param>
public sealed class KeyVaultKeyEncryptionKey(string name, KeyVaultKeyReference key, KeyVaultKeys vault, TimeProvider? time = null) : IKeyEncryptionKey
{
    private readonly KeyVaultKeyId _id = KeyVaultKeyId.From(key);

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public bool CanWrap => true;

    /// <inheritdoc />
    public bool CanUnwrap => true;

    /// <summary>The configured key.</summary>
    public KeyVaultKeyReference Key => key;

    /// <inheritdoc />
    public async Task<WrappedKey> WrapAsync(DataKey dataKey, CancellationToken cancellationToken = default)
    {
        var plain = dataKey.Bytes.ToArray();
        try
        {
            var result = await vault.WrapKeyAsync(_id, KeyWrapAlgorithms.RsaOaep256, plain, cancellationToken);
            if (!KeyVaultKeyId.TryParse(result.KeyId, out var kid) || !kid.IsSameKey(_id) || kid.Version is null)
            {
                throw new KeyUnwrapException($"Key Vault key '{name}' ({key}) answered wrapKey with key id '{result.KeyId}', not a version of the key asked for");
            }

            return new WrappedKey(result.KeyId, KeyWrapAlgorithms.RsaOaep256, Convert.ToBase64String(result.Value)) { Name = name, WrappedAt = time?.GetUtcNow() };
        }
        catch (KeyVaultRequestException e)
        {
            throw new KeyUnwrapException($"Key Vault key '{name}' ({key}) could not wrap the data key: {e.Message}", e.IsTransient, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public bool Matches(WrappedKey wrapped) => Version(wrapped) is not null;

    /// <inheritdoc />
    public async Task<DataKey> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        var version = Version(wrapped) ?? throw new KeyUnwrapException($"Key Vault key '{name}' ({key}) did not wrap this data key: it was wrapped by '{wrapped.KeyId}' ({wrapped.Algorithm})");
        byte[] ciphertext;
        try
        {
            ciphertext = Convert.FromBase64String(wrapped.Value);
        }
        catch (FormatException)
        {
            throw new KeyUnwrapException($"the data key wrapped by '{wrapped.KeyId}' is not base64");
        }

        KeyVaultKeyOperationResult result;
        try
        {
            result = await vault.UnwrapKeyAsync(_id.WithVersion(version), KeyWrapAlgorithms.RsaOaep256, ciphertext, cancellationToken);
        }
        catch (KeyVaultRequestException e)
        {
            throw new KeyUnwrapException($"Key Vault key '{name}' ({key}) could not unwrap the data key wrapped by '{wrapped.KeyId}': {e.Message}", e.IsTransient, e);
        }

        try
        {
            return DataKey.FromBytes(result.Value);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(result.Value);
        }
    }

    /// <summary>The version to unwrap with: the wrapping's, when it is this key's (and the pinned version, if any); else null.</summary>
    private string? Version(WrappedKey wrapped)
    {
        if (wrapped.Algorithm != KeyWrapAlgorithms.RsaOaep256 || !KeyVaultKeyId.TryParse(wrapped.KeyId, out var kid) || !kid.IsSameKey(_id) || kid.Version is null)
        {
            return null;
        }

        return _id.Version is null || string.Equals(_id.Version, kid.Version, StringComparison.OrdinalIgnoreCase) ? kid.Version : null;
    }
}
