namespace Strata.Core.Configuration;

/// <summary>
/// One key-encryption key under <c>encryption.keys</c>: exactly one of a Key Vault key (RSA, wraps with RSA-OAEP-256),
/// a PEM file (an RSA public key wraps only, a private key wraps and unwraps), or a secret holding a base64 AES-256 key.
/// </summary>
/// <param name="Name">For people (tables, errors); defaults to the reference.</param>
public sealed record KeyEncryptionKeyDefinition(string Name)
{
    /// <summary>A Key Vault key.</summary>
    public KeyVaultKeyReference? KeyVault { get; init; }

    /// <summary>A PEM file with an RSA public or private key.</summary>
    public string? File { get; init; }

    /// <summary>A secret whose value is a base64 256-bit AES key.</summary>
    public SecretReference? Secret { get; init; }

    /// <summary>The line in the file where it is defined.</summary>
    public int Line { get; init; }
}
