namespace Strata.Core.Encryption;

/// <summary>
/// The manifest's <c>encryption</c>: how this backup was encrypted and the data key wrapped by each key-encryption key
/// (docs/encryption.md specifies every byte).
/// </summary>
public sealed record EncryptionRecord
{
    /// <summary>The scheme this Strata writes.</summary>
    public const string CurrentScheme = "strata-envelope/v1";

    /// <summary><see cref="CurrentScheme"/> at the time of writing; a reader refuses a scheme it does not know.</summary>
    public required string Scheme { get; init; }

    /// <summary>The data key's algorithm: always <c>AES-256-GCM</c>.</summary>
    public string DataKeyAlgorithm { get; init; } = "AES-256-GCM";

    /// <summary>What the policy encrypted.</summary>
    public required EncryptionMode Mode { get; init; }

    /// <summary>The data key, wrapped by each key-encryption key at backup time (later wrappings live under <c>keys/</c>).</summary>
    public required IReadOnlyList<WrappedKey> WrappedKeys { get; init; }

    /// <summary>Whether Secret values in the object archive are encrypted (<c>strata:v1:</c> tokens).</summary>
    public bool SecretValues { get; init; }

    /// <summary>Artifacts stored whole in the chunked format, by path; their manifest size and SHA-256 are of the plaintext.</summary>
    public IReadOnlyList<string> EncryptedArtifacts { get; init; } = [];

    /// <summary>
    /// The data key's check value (<see cref="KeyCheckValue"/>): every key unwrapped from a wrapping (in the manifest or a
    /// sidecar) must match it, or it is not this backup's key. Written by every capture; a manifest without it is read
    /// without the check.
    /// </summary>
    public string? KeyCheck { get; init; }

    /// <summary>Plaintext bytes per chunk of the encrypted artifacts.</summary>
    public int ChunkSize { get; init; } = 64 * 1024;
}
