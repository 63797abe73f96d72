namespace Strata.Core.Encryption;

/// <summary>
/// <c>manifest.sig</c>: a signature over the exact bytes of <c>manifest.json</c>, written (once) just before it.
/// </summary>
/// <param name="Algorithm"><c>ES256</c> or <c>RS256</c> (a Key Vault key, over SHA-256 of the bytes), or <c>HS256</c> (HMAC-SHA256 with a local key).</param>
/// <param name="KeyId">The signing key: a Key Vault key id with its version, or <c>local:hmac:…</c> (a fingerprint, never the key).</param>
/// <param name="Value">The signature, standard base64 (ES256: r ‖ s, 64 bytes).</param>
public sealed record ManifestSignature(string Algorithm, string KeyId, string Value)
{
    /// <summary>When it was signed.</summary>
    public DateTimeOffset? SignedAt { get; init; }
}
