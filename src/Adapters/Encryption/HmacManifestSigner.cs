using System.Security.Cryptography;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Encryption;
using Strata.Core.Ports;

namespace Strata.Adapters.Encryption;

/// <summary>
/// Signs manifests with HMAC-SHA256 (<c>HS256</c>) and a local key held as a secret (base64, at least 32 bytes),
/// read on first use. Its key id is a fingerprint, <c>local:hmac:</c> + the first 16 hex digits of
/// SHA-256("strata-signing-key-id" ‖ key), never the key; signatures by another key id answer null, comparisons
/// are constant-time.
/// </summary>
public sealed class HmacManifestSigner : IManifestSigner
{
    /// <summary>The algorithm name in <c>manifest.sig</c>.</summary>
    public const string Algorithm = "HS256";

    /// <summary>The shortest key accepted, in bytes (the hash's output size).</summary>
    public const int MinimumKeySize = 32;

    private readonly SecretReference? _reference;
    private readonly ISecretValues? _secrets;
    private readonly TimeProvider? _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Key? _key;

    /// <summary>A signer whose key is the value of <paramref name="reference"/>, resolved when first needed.</summary>
    /// <param name="reference">Where the base64 key lives.</param>
    /// <param name="secrets">Resolves it.</param>
    /// <param name="time">Stamps <see cref="ManifestSignature.SignedAt"/>; none leaves it unset.</param>
    public HmacManifestSigner(SecretReference reference, ISecretValues secrets, TimeProvider? time = null)
    {
        _reference = reference;
        _secrets = secrets;
        _time = time;
    }

    private HmacManifestSigner(byte[] key, TimeProvider? time)
    {
        _key = new Key(key, KeyIdOf(key));
        _time = time;
    }

    /// <inheritdoc />
    public string Name => _reference?.ToString() ?? _key!.Id;

    /// <summary>A signer with the key's bytes (tests); at least <see cref="MinimumKeySize"/> of them.</summary>
    public static HmacManifestSigner FromBytes(ReadOnlySpan<byte> key, TimeProvider? time = null) =>
        key.Length >= MinimumKeySize
            ? new HmacManifestSigner(key.ToArray(), time)
            : throw new ArgumentException($"an HMAC signing key needs at least {MinimumKeySize} bytes, not {key.Length}", nameof(key));

    /// <summary>The key id of <paramref name="key"/>: <c>local:hmac:</c> + 16 lower-case hex digits of SHA-256("strata-signing-key-id" ‖ key).</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> key)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("strata-signing-key-id"u8);
        hash.AppendData(key);
        return "local:hmac:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <inheritdoc />
    public async Task<ManifestSignature> SignAsync(ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        var key = await KeyAsync(cancellationToken);
        return new ManifestSignature(Algorithm, key.Id, Convert.ToBase64String(HMACSHA256.HashData(key.Bytes, manifest.Span))) { SignedAt = _time?.GetUtcNow() };
    }

    /// <inheritdoc />
    public async Task<bool?> VerifyAsync(ReadOnlyMemory<byte> manifest, ManifestSignature signature, CancellationToken cancellationToken = default)
    {
        var key = await KeyAsync(cancellationToken);
        if (signature.KeyId != key.Id)
        {
            return null;
        }

        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (signature.Algorithm != Algorithm || !Convert.TryFromBase64String(signature.Value, given, out var written) || written != given.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key.Bytes, manifest.Span), given);
    }

    private async ValueTask<Key> KeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } key)
        {
            return key;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _key ??= Parse(await _secrets!.ResolveAsync(_reference!, cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    private Key Parse(string value)
    {
        var bytes = new byte[value.Length];
        if (!Convert.TryFromBase64String(value.Trim(), bytes, out var length) || length < MinimumKeySize)
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new SecretUnavailableException(_reference!, $"its value is not base64 of at least {MinimumKeySize} bytes, as an HMAC-SHA256 manifest signing key must be");
        }

        var key = bytes[..length];
        CryptographicOperations.ZeroMemory(bytes);
        return new Key(key, KeyIdOf(key));
    }

    private sealed record Key(byte[] Bytes, string Id);
}
