using Strata.Core.Encryption;

namespace Strata.Core.Configuration;

/// <summary>strata.yaml's <c>encryption:</c>: the key-encryption keys every backup's data key is wrapped by, and the manifest signing key.</summary>
/// <param name="Keys">Key-encryption keys; every one that can wrap wraps each backup's data key.</param>
/// <param name="Signing">The manifest signing key; null: manifests are not signed.</param>
public sealed record EncryptionSettings(IReadOnlyList<KeyEncryptionKeyDefinition> Keys, SigningKeyDefinition? Signing)
{
    /// <summary>No <c>encryption:</c> section.</summary>
    public static EncryptionSettings None { get; } = new([], null);

    /// <summary>What <paramref name="policy"/> encrypts: its <c>encrypt:</c>, else Secret values when keys are configured.</summary>
    public EncryptionMode ModeFor(PolicyDefinition policy) => policy.Encrypt ?? (Keys.Count > 0 ? EncryptionMode.Secrets : EncryptionMode.None);
}
