namespace Strata.Core.Encryption;

/// <summary>Signs manifests, and checks signatures made by the key it holds (Key Vault ES256/RS256, or local HMAC-SHA256).</summary>
public interface IManifestSigner
{
    /// <summary>For people: the configured key's reference (never key material).</summary>
    string Name { get; }

    /// <summary>Signs the exact bytes of a manifest.</summary>
    Task<ManifestSignature> SignAsync(ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default);

    /// <summary>True when valid, false when not, null when the signature is by a key this signer cannot check.</summary>
    Task<bool?> VerifyAsync(ReadOnlyMemory<byte> manifest, ManifestSignature signature, CancellationToken cancellationToken = default);
}
