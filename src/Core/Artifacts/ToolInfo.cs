namespace Strata.Core.Artifacts;

/// <summary>The writing tool.</summary>
public sealed record ToolInfo(string Name, string Version);
