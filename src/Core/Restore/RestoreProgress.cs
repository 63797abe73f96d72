namespace Strata.Core.Restore;

/// <summary>Progress of a running restore.</summary>
/// <param name="Phase">What it is doing: verifying, applying, waiting, fixing owners.</param>
/// <param name="Done">Objects handled so far.</param>
/// <param name="Total">Objects to handle (known once verified).</param>
/// <param name="Tier">The tier being applied.</param>
public sealed record RestoreProgress(string Phase, long Done, long Total, string? Tier);
