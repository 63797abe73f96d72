namespace Strata.Core.Kubernetes;

/// <summary>
/// Every resource a cluster serves, in every served version, plus the groups whose discovery
/// failed (an unavailable aggregated API such as <c>metrics.k8s.io</c> is common and not fatal).
/// </summary>
public sealed record DiscoveryResult(
    IReadOnlyList<ApiResource> Resources,
    IReadOnlyList<DiscoveryFailure> Failures)
{
    /// <summary>Resources in their group's preferred version, subresources left out.</summary>
    public IEnumerable<ApiResource> PreferredResources =>
        Resources.Where(r => r.IsPreferredVersion && !r.IsSubresource);

    /// <summary>Finds a served resource by group and plural name in the preferred version.</summary>
    public ApiResource? Find(string group, string name) =>
        PreferredResources.FirstOrDefault(r => r.Group == group && r.Name == name);
}
