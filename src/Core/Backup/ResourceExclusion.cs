namespace Strata.Core.Backup;

/// <summary>A resource type left out by default, and why.</summary>
public sealed record ResourceExclusion(string Group, string Resource, string Reason);
