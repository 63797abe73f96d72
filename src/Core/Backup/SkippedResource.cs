namespace Strata.Core.Backup;

/// <summary>A resource type left out, and why.</summary>
public sealed record SkippedResource(string Resource, string Reason);
