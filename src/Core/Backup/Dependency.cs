namespace Strata.Core.Backup;

/// <summary>A cluster-scoped object, by group, resource and name; an optional one may not exist.</summary>
public sealed record Dependency(string Group, string Resource, string Name, bool Optional = false);
