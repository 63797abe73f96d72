namespace Strata.Core.Encryption;

/// <summary>How a key-encryption key wraps a data key.</summary>
public static class KeyWrapAlgorithms
{
    /// <summary>RSA-OAEP with SHA-256 and MGF1-SHA-256 (Key Vault's <c>RSA-OAEP-256</c>; local RSA keys).</summary>
    public const string RsaOaep256 = "RSA-OAEP-256";

    /// <summary>AES-256-GCM with a local 256-bit key: 12-byte random nonce ‖ ciphertext ‖ 16-byte tag, associated data <c>strata:v1:kek</c>.</summary>
    public const string Aes256Gcm = "A256GCM";
}
