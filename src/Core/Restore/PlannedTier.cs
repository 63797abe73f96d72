namespace Strata.Core.Restore;

/// <summary>A tier of the plan with the backed-up types it applies, in a stable order.</summary>
public sealed record PlannedTier(RestoreTier Tier, IReadOnlyList<SourceType> Types);
