namespace Strata.Core.Ports;

/// <summary>A committed artifact.</summary>
public sealed record ArtifactInfo(string Key, long Size);
