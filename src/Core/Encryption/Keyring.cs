namespace Strata.Core.Encryption;

/// <summary>
/// The keys a control plane holds: the key-encryption keys that wrap each backup's data key (all of them wrap;
/// any of them may unwrap) and the key that signs manifests. Built from strata.yaml's <c>encryption:</c>.
/// </summary>
/// <param name="Keys">Key-encryption keys, in the configured order.</param>
/// <param name="Signer">The manifest signer; null when manifests are not signed.</param>
public sealed record Keyring(IReadOnlyList<IKeyEncryptionKey> Keys, IManifestSigner? Signer)
{
    /// <summary>No keys: nothing is encrypted or signed.</summary>
    public static Keyring None { get; } = new([], null);

    /// <summary>Whether any key can wrap a data key.</summary>
    public bool CanEncrypt => Keys.Any(k => k.CanWrap);

    /// <summary>This keyring with <paramref name="extra"/> keys tried first (<c>--key</c> on the command line).</summary>
    public Keyring With(IEnumerable<IKeyEncryptionKey> extra) => this with { Keys = [.. extra, .. Keys] };
}
