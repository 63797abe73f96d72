using Strata.Core.Verification;

namespace Strata.Core.Configuration;

/// <summary>How a policy's backups are proven (<c>verification:</c> in strata.yaml). Every backup is verified; these tune how.</summary>
public sealed record VerificationSettings
{
    /// <summary>
    /// The shrink (0–1) of an object count or artifact size against the last verified backup beyond which
    /// verification warns and alerts (<c>driftThreshold: 50%</c>). Default <see cref="DriftCheck.DefaultThreshold"/>.
    /// </summary>
    public double DriftThreshold { get; init; } = DriftCheck.DefaultThreshold;

    /// <summary>The policy's restore drill (<c>drill:</c>); null when it has none.</summary>
    public DrillSettings? Drill { get; init; }
}
