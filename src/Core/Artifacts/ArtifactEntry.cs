namespace Strata.Core.Artifacts;

/// <summary>One committed artifact of a backup, as the manifest lists it.</summary>
/// <param name="Path">Path relative to the backup's prefix, e.g. <c>resources.tar.gz</c>.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the bytes.</param>
public sealed record ArtifactEntry(string Path, long Size, string Sha256);
