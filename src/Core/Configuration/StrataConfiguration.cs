using System.Text.RegularExpressions;
using Strata.Core.Backup;
using Strata.Core.Retention;
using Strata.Core.Scheduling;

namespace Strata.Core.Configuration;

/// <summary>What <c>strata.yaml</c> says: the clusters, and the policies that protect them.</summary>
/// <param name="Clusters">Every cluster, names unique.</param>
/// <param name="Policies">Every policy, names unique.</param>
/// <param name="Source">Where it was read, for messages.</param>
public sealed record StrataConfiguration(IReadOnlyList<ClusterDefinition> Clusters, IReadOnlyList<PolicyDefinition> Policies, string Source)
{
    /// <summary>The cluster named <paramref name="name"/>, or null.</summary>
    public ClusterDefinition? FindCluster(string name) => Clusters.FirstOrDefault(c => c.Name == name);

    /// <summary>The policy named <paramref name="name"/>, or null.</summary>
    public PolicyDefinition? FindPolicy(string name) => Policies.FirstOrDefault(p => p.Name == name);

    /// <summary>The clusters <paramref name="policy"/> protects, in configuration order.</summary>
    public IReadOnlyList<ClusterDefinition> ClustersOf(PolicyDefinition policy) =>
        Clusters.Where(c => policy.Clusters.Any(s => s.Matches(c))).ToList();
}

/// <summary>
/// One cluster and how to reach it: a kubeconfig context, or a server with a CA and a credential.
/// Credentials are <see cref="SecretReference"/>s, resolved when the cluster is contacted.
/// </summary>
public sealed record ClusterDefinition
{
    /// <summary>The cluster's name in Strata (storage keys, run history, alerts).</summary>
    public required string Name { get; init; }

    /// <summary>A kubeconfig file; null for <c>$KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context to use (when <see cref="Server"/> is not given).</summary>
    public string? Context { get; init; }

    /// <summary>The API server URL, when the cluster is given directly rather than by context.</summary>
    public Uri? Server { get; init; }

    /// <summary>A PEM file of CA certificates for <see cref="Server"/>; system roots when null.</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary>Name to check the server certificate against.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Skip verifying the server certificate (test clusters only).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>A bearer token.</summary>
    public SecretReference? Token { get; init; }

    /// <summary>A PEM client certificate.</summary>
    public SecretReference? ClientCertificate { get; init; }

    /// <summary>The PEM key of <see cref="ClientCertificate"/>.</summary>
    public SecretReference? ClientKey { get; init; }

    /// <summary>Authenticate with an Entra ID token for AKS (managed or workload identity).</summary>
    public bool EntraId { get; init; }

    /// <summary>Free-form tags that policies select on.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The line in the file where the cluster is defined.</summary>
    public int Line { get; init; }
}

/// <summary>When and how backups are verified and drilled (used by the verification issue).</summary>
/// <param name="Schedule">When drills run.</param>
/// <param name="TimeZone">The schedule's time zone.</param>
/// <param name="Drill">Whether to restore into a scratch namespace and measure recovery time, not only check integrity.</param>
public sealed record VerificationSchedule(CronSchedule Schedule, TimeZoneInfo TimeZone, bool Drill);

/// <summary>What a policy protects, when, and how long it keeps it.</summary>
public sealed record PolicyDefinition
{
    /// <summary>The policy's name (storage keys, run history).</summary>
    public required string Name { get; init; }

    /// <summary>Which clusters: names, globs, or tags.</summary>
    public required IReadOnlyList<ClusterSelector> Clusters { get; init; }

    /// <summary>When backups run.</summary>
    public required CronSchedule Schedule { get; init; }

    /// <summary>The time zone of <see cref="Schedule"/>.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The recovery-point objective: a good backup must never be older than this.</summary>
    public TimeSpan? RecoveryPointObjective { get; init; }

    /// <summary>What each backup takes; the policy's GitOps mode is <see cref="BackupScope.SkipGitOpsManaged"/>.</summary>
    public BackupScope Scope { get; init; } = new();

    /// <summary>How long backups are kept.</summary>
    public RetentionRules Retention { get; init; } = new();

    /// <summary>Days each artifact is write-once (locked against deletion); 0 for none.</summary>
    public int WriteOnceDays { get; init; }

    /// <summary>Verification and drills, if configured.</summary>
    public VerificationSchedule? Verification { get; init; }

    /// <summary>The line in the file where the policy is defined.</summary>
    public int Line { get; init; }
}

/// <summary>Selects clusters by name (with <c>*</c> and <c>?</c> globs) or by tag (<c>tag:KEY</c> or <c>tag:KEY=VALUE</c>).</summary>
public sealed record ClusterSelector(string Text)
{
    /// <summary>Whether <paramref name="cluster"/> is selected.</summary>
    public bool Matches(ClusterDefinition cluster)
    {
        if (Text.StartsWith("tag:", StringComparison.Ordinal))
        {
            var tag = Text[4..];
            var equals = tag.IndexOf('=');
            return equals < 0
                ? cluster.Tags.ContainsKey(tag)
                : cluster.Tags.TryGetValue(tag[..equals], out var value) && value == tag[(equals + 1)..];
        }

        return Text.Contains('*') || Text.Contains('?')
            ? Regex.IsMatch(cluster.Name, "^" + Regex.Escape(Text).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.None, TimeSpan.FromSeconds(1))
            : cluster.Name == Text;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
