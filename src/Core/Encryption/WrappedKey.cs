namespace Strata.Core.Encryption;

/// <summary>
/// A backup's data key wrapped by one key-encryption key: in the manifest (the wrappings made at backup time) and
/// in write-once sidecar blobs under <c>keys/</c> (each later <c>strata key rewrap</c>).
/// </summary>
/// <param name="KeyId">Which key wrapped it: a Key Vault key id with its version, or <c>local:rsa:…</c> / <c>local:aes:…</c> fingerprints.</param>
/// <param name="Algorithm">One of <see cref="KeyWrapAlgorithms"/>.</param>
/// <param name="Value">The wrapped data key, standard base64.</param>
public sealed record WrappedKey(string KeyId, string Algorithm, string Value)
{
    /// <summary>The configured name of the key that wrapped it (<c>encryption.keys[].name</c>), for people.</summary>
    public string? Name { get; init; }

    /// <summary>When it was wrapped.</summary>
    public DateTimeOffset? WrappedAt { get; init; }
}
