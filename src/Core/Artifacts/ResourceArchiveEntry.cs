namespace Strata.Core.Artifacts;

/// <summary>One object document of a resources archive.</summary>
/// <param name="Path">Where it sits in the layout.</param>
/// <param name="RawPath">The entry name as stored.</param>
/// <param name="Content">The JSON document.</param>
public sealed record ResourceArchiveEntry(ResourceEntryPath Path, string RawPath, byte[] Content);
