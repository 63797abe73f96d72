namespace Strata.Core.Kubernetes;

/// <summary>A group/version whose resource list could not be read.</summary>
public sealed record DiscoveryFailure(string GroupVersion, string Message);
