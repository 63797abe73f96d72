namespace Strata.Core.Configuration;

/// <summary><c>encryption.signing</c>: exactly one of a Key Vault key (EC P-256 signs ES256, RSA signs RS256) or an HMAC-SHA256 key held as a secret (base64, at least 32 bytes).</summary>
public sealed record SigningKeyDefinition
{
    /// <summary>A Key Vault key.</summary>
    public KeyVaultKeyReference? KeyVault { get; init; }

    /// <summary>A secret whose value is a base64 HMAC key.</summary>
    public SecretReference? Hmac { get; init; }

    /// <summary>The line in the file where it is defined.</summary>
    public int Line { get; init; }
}
