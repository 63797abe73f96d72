using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>Where the control plane may restore a backup: its policy's restoreTargets, else the policy's own clusters; an ad-hoc backup only where it came from.</summary>
public sealed class RestoreTargetsTests
{
    private static readonly StrataConfiguration Configuration = ConfigurationLoader.Parse("""
        clusters:
          - name: prod-weu
            context: prod-weu
          - name: prod-neu
            context: prod-neu
          - name: dr-neu
            context: dr-neu
            tags: { env: dr }
        policies:
          - name: nightly
            clusters: ["prod-*"]
            schedule: "30 2 * * *"
          - name: to-dr
            clusters: [prod-weu]
            schedule: "30 3 * * *"
            restoreTargets: ["tag:env=dr"]
        """, "strata.yaml", SystemTimeZones.Instance);

    private static BackupRecord Backup(string policy, string cluster = "prod-weu") => new()
    {
        Id = "20261121-023000-abcdef",
        Cluster = cluster,
        Policy = policy,
        Status = BackupStatus.Verified,
        StartedAt = new DateTimeOffset(2026, 11, 21, 2, 30, 0, TimeSpan.Zero),
        Location = $"backups/{cluster}/{policy}/20261121-023000-abcdef/",
    };

    private static RestoreRequested Into(string cluster) => new("20261121-023000-abcdef", cluster);

    [Theory]
    [InlineData("nightly", "prod-weu", new[] { "prod-weu", "prod-neu" })]
    [InlineData("to-dr", "prod-weu", new[] { "dr-neu" })]
    [InlineData("adhoc", "prod-neu", new[] { "prod-neu" })]
    [InlineData("retired", "prod-weu", new[] { "prod-weu" })]
    public void AllowedFor_Policy_IsItsRestoreTargetsElseItsClusters(string policy, string cluster, string[] expected) =>
        Assert.Equal(expected, RestoreTargets.AllowedFor(Configuration, Backup(policy, cluster)).Select(c => c.Name));

    [Fact]
    public void Refusal_AllowedTarget_IsNull() =>
        Assert.Null(RestoreTargets.Refusal(Configuration, Into("prod-neu"), Backup("nightly")));

    [Fact]
    public void Refusal_ClusterOutsideTheDefault_SaysWhereAndHowToAllowIt()
    {
        var refusal = RestoreTargets.Refusal(Configuration, Into("dr-neu"), Backup("nightly"));

        Assert.Equal(
            "backup 20261121-023000-abcdef (policy nightly, cluster prod-weu) may be restored only into prod-weu, prod-neu, not into 'dr-neu': "
            + "policy 'nightly' has no restoreTargets, so its own clusters; add the cluster to its restoreTargets in strata.yaml to allow it",
            refusal);
    }

    [Fact]
    public void Refusal_RestoreTargetsReplaceTheOwnClusters() =>
        Assert.Contains("may be restored only into dr-neu, not into 'prod-weu': policy 'to-dr' restoreTargets: [tag:env=dr]",
            RestoreTargets.Refusal(Configuration, Into("prod-weu"), Backup("to-dr")));

    [Fact]
    public void Refusal_BackupNotInTheRunHistory_IsRefused() =>
        Assert.Equal("backup 20261121-023000-abcdef is not in the run history: its policy, which says where it may be restored, is unknown",
            RestoreTargets.Refusal(Configuration, Into("prod-weu"), null));
}
