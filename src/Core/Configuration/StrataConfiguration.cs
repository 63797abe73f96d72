namespace Strata.Core.Configuration;

/// <summary>What <c>strata.yaml</c> says: the clusters, the policies that protect them, and where alerts go.</summary>
/// <param name="Clusters">Every cluster, names unique.</param>
/// <param name="Policies">Every policy, names unique.</param>
/// <param name="Source">Where it was read, for messages.</param>
public sealed record StrataConfiguration(IReadOnlyList<ClusterDefinition> Clusters, IReadOnlyList<PolicyDefinition> Policies, string Source)
{
    /// <summary>Alert channels and routes; <see cref="AlertsDefinition.None"/> when strata.yaml has no <c>alerts:</c>.</summary>
    public AlertsDefinition Alerts { get; init; } = AlertsDefinition.None;

    /// <summary>
    /// A dead man's switch outside Strata (<c>heartbeat: {url: …}</c>): a Healthchecks.io / Cronitor / Better Stack style
    /// URL that every schedule tick pings with a GET, so that a control plane that stops is noticed by something else.
    /// </summary>
    public SecretReference? Heartbeat { get; init; }

    /// <summary>Client-side encryption keys and the manifest signing key (<c>encryption:</c>).</summary>
    public EncryptionSettings Encryption { get; init; } = EncryptionSettings.None;

    /// <summary>The cluster named <paramref name="name"/>, or null.</summary>
    public ClusterDefinition? FindCluster(string name) => Clusters.FirstOrDefault(c => c.Name == name);

    /// <summary>The policy named <paramref name="name"/>, or null.</summary>
    public PolicyDefinition? FindPolicy(string name) => Policies.FirstOrDefault(p => p.Name == name);

    /// <summary>The clusters <paramref name="policy"/> protects, in configuration order.</summary>
    public IReadOnlyList<ClusterDefinition> ClustersOf(PolicyDefinition policy) =>
        Clusters.Where(c => policy.Clusters.Any(s => s.Matches(c))).ToList();
}
