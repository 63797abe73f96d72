using System.Collections.Concurrent;
using System.Security.Cryptography;
using Strata.Adapters.KeyVault;
using Strata.Core.Configuration;
using Strata.Core.Encryption;

namespace Strata.Adapters.Encryption;

/// <summary>
/// Signs manifests with a Key Vault key: SHA-256 of the manifest's bytes, signed by the vault (<c>sign</c>) with
/// <c>ES256</c> for an EC P-256 key or <c>RS256</c> for an RSA key — decided once from the key's type (get key).
/// Signatures are checked here, with the public key of the version that signed (fetched once per version): ES256 as
/// r ‖ s (IEEE P1363), RS256 as PKCS#1 v1.5. A signature by another key (or another version than a pinned one) is
/// not this signer's to judge: <see cref="VerifyAsync"/> answers null. Vault failures surface as
/// <see cref="KeyVaultRequestException"/>.
/// </summary>
/// <param name="key">The signing key; a pinned version signs with (and checks only) that version.</param>
/// <param name="vault">The Key Vault client.</param>
/// <param name="time">Stamps <see cref="ManifestSignature.SignedAt"/>; none leaves it unset.</param>
public sealed class KeyVaultManifestSigner(KeyVaultKeyReference key, KeyVaultKeys vault, TimeProvider? time = null) : IManifestSigner
{
    /// <summary>ECDSA on P-256 with SHA-256, r ‖ s.</summary>
    public const string Es256 = "ES256";

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public const string Rs256 = "RS256";

    private readonly KeyVaultKeyId _id = KeyVaultKeyId.From(key);
    private readonly ConcurrentDictionary<string, KeyVaultPublicKey> _publicKeys = new(StringComparer.OrdinalIgnoreCase);
    private string? _algorithm;

    /// <inheritdoc />
    public string Name => key.ToString();

    /// <inheritdoc />
    public async Task<ManifestSignature> SignAsync(ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        var algorithm = _algorithm ??= await AlgorithmAsync(cancellationToken);
        var result = await vault.SignAsync(_id, algorithm, SHA256.HashData(manifest.Span), cancellationToken);
        return new ManifestSignature(algorithm, result.KeyId, Convert.ToBase64String(result.Value)) { SignedAt = time?.GetUtcNow() };
    }

    /// <inheritdoc />
    public async Task<bool?> VerifyAsync(ReadOnlyMemory<byte> manifest, ManifestSignature signature, CancellationToken cancellationToken = default)
    {
        if (!KeyVaultKeyId.TryParse(signature.KeyId, out var kid) || !kid.IsSameKey(_id) || kid.Version is null
            || (_id.Version is not null && !string.Equals(_id.Version, kid.Version, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        byte[] value;
        try
        {
            value = Convert.FromBase64String(signature.Value);
        }
        catch (FormatException)
        {
            return false;
        }

        KeyVaultPublicKey publicKey;
        try
        {
            publicKey = await PublicKeyAsync(_id.WithVersion(kid.Version), cancellationToken);
        }
        catch (KeyVaultRequestException e) when (e.Status == 404)
        {
            // The version that signed is gone from the vault: nothing left to check it with.
            return null;
        }

        var digest = SHA256.HashData(manifest.Span);
        return signature.Algorithm switch
        {
            Es256 when publicKey.IsEcP256 => VerifyEs256(publicKey, digest, value),
            Rs256 when publicKey.IsRsa => VerifyRs256(publicKey, digest, value),
            _ => false,
        };
    }

    private async Task<string> AlgorithmAsync(CancellationToken cancellationToken)
    {
        var publicKey = await PublicKeyAsync(_id, cancellationToken);
        return publicKey.IsEcP256 ? Es256
            : publicKey.IsRsa ? Rs256
            : throw new KeyVaultRequestException(
                $"Key Vault key {key} cannot sign manifests: it is {publicKey.KeyType}{(publicKey.Curve is null ? "" : " " + publicKey.Curve)}, not EC P-256 (ES256) or RSA (RS256)",
                "sign", publicKey.KeyId, 200, null, false);
    }

    private async Task<KeyVaultPublicKey> PublicKeyAsync(KeyVaultKeyId id, CancellationToken cancellationToken)
    {
        if (id.Version is not null && _publicKeys.TryGetValue(id.ToString(), out var cached))
        {
            return cached;
        }

        var publicKey = await vault.GetKeyAsync(id, cancellationToken);
        _publicKeys.TryAdd(publicKey.KeyId, publicKey);
        return publicKey;
    }

    private static bool VerifyEs256(KeyVaultPublicKey publicKey, byte[] digest, byte[] signature)
    {
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = publicKey.X, Y = publicKey.Y } });
        return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static bool VerifyRs256(KeyVaultPublicKey publicKey, byte[] digest, byte[] signature)
    {
        using var rsa = RSA.Create(new RSAParameters { Modulus = publicKey.N, Exponent = publicKey.E });
        return rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
