using Strata.Core.Kubernetes;

namespace Strata.Core.Restore;

/// <summary>How a backed-up resource type is restored into the target.</summary>
/// <param name="Target">The resource to create objects through, or null when the target does not serve the type.</param>
/// <param name="Note">Why it differs from the source: another version used, or why it is unsupported.</param>
internal sealed record TypeResolution(ApiResource? Target, string? Note);
