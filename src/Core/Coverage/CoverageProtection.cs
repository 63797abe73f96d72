namespace Strata.Core.Coverage;

/// <summary>One policy's layer that protects a stateful thing.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Layer">The layer (<see cref="Status.BackupLayers"/>'s names).</param>
public sealed record CoverageProtection(string Policy, string Layer);
