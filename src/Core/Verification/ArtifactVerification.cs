namespace Strata.Core.Verification;

/// <summary>What verification read of one artifact.</summary>
/// <param name="Path">The artifact's path in the backup.</param>
/// <param name="Size">Bytes read from the store (null when it could not be opened).</param>
/// <param name="Sha256">SHA-256 of the bytes read (null when it could not be opened).</param>
/// <param name="Checks">The content checks that ran on it (e.g. <c>objects</c>), beside size and hash.</param>
/// <param name="Facts">What the checks learnt, as strings (e.g. <c>entries</c>); layers add their own (tables in a dump, an etcd revision).</param>
public sealed record ArtifactVerification(string Path, long? Size, string? Sha256, IReadOnlyList<string> Checks, IReadOnlyDictionary<string, string> Facts);
