using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Core.Databases.CloudNativePg;

namespace Strata.Core.Tests.Configuration;

/// <summary>A policy's <c>cloudNativePG:</c> and a database target's <c>archiving</c> in strata.yaml: every field read, defaults, mistakes located.</summary>
public sealed class CloudNativePgConfigurationTests
{
    private const string Valid = """
        clusters:
          - name: prod
            context: prod-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            rpo: 26h
            cloudNativePG:
              - namespace: shop
                cluster: pg-main
              - namespace: auth
                cluster: keycloak-db
                method: volumeSnapshot
                timeout: 3h
              - namespace: git
                cluster: gitlab-db
                method: plugin
            databases:
              - name: legacy
                executor: direct
                host: pg.example.com
                password: { env: PG_PASSWORD }
                databases: [app]
                archiving: true
        """;

    private static StrataConfiguration Parse(string yaml) => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance);

    [Fact]
    public void Parse_CloudNativePG_ReadsEveryFieldWithDefaults()
    {
        var policy = Parse(Valid).FindPolicy("nightly")!;
        var targets = policy.CloudNativePG;

        Assert.Equal(3, targets.Count);
        Assert.Equal(("shop", "pg-main", null, TimeSpan.FromHours(1)), (targets[0].Namespace, targets[0].Cluster, targets[0].Method, targets[0].Timeout));
        Assert.Equal(("auth/keycloak-db", CloudNativePgMethod.VolumeSnapshot, TimeSpan.FromHours(3)), (targets[1].Qualified, targets[1].Method, targets[1].Timeout));
        Assert.Equal(CloudNativePgMethod.Plugin, targets[2].Method);
        Assert.Equal(CloudNativePgTarget.DefaultTimeout, targets[0].Timeout);
        Assert.True(Assert.Single(policy.Databases).Archiving);
    }

    [Fact]
    public void Parse_PolicyWithoutCloudNativePG_HasNone_AndTargetsDoNotArchiveByDefault()
    {
        var yaml = Valid.Replace("        archiving: true", "", StringComparison.Ordinal);
        yaml = yaml.Remove(yaml.IndexOf("    cloudNativePG:", StringComparison.Ordinal), yaml.IndexOf("    databases:", StringComparison.Ordinal) - yaml.IndexOf("    cloudNativePG:", StringComparison.Ordinal));

        var policy = Parse(yaml).FindPolicy("nightly")!;

        Assert.Empty(policy.CloudNativePG);
        Assert.False(Assert.Single(policy.Databases).Archiving);
    }

    [Theory]
    [InlineData("method: volumeSnapshot", "method: pgBackRest", "policies[0].cloudNativePG[1].method: 'pgBackRest' is not barmanObjectStore, volumeSnapshot or plugin")]
    [InlineData("cluster: pg-main", "cluster: ~", "policies[0].cloudNativePG[0].cluster: 'cluster' is required")]
    [InlineData("namespace: shop", "namespace: Shop_Prod", "policies[0].cloudNativePG[0].namespace: 'Shop_Prod' is not a Kubernetes name")]
    [InlineData("namespace: git\n        cluster: gitlab-db", "namespace: shop\n        cluster: pg-main", "Cluster shop/pg-main is listed twice")]
    [InlineData("timeout: 3h", "timeout: soon", "policies[0].cloudNativePG[1].timeout: 'soon' is not a duration")]
    [InlineData("method: plugin", "method: plugin\n        plugin: barman", "policies[0].cloudNativePG[2].plugin: unknown field 'plugin'")]
    [InlineData("    cloudNativePG:", "    cloudnativepg:", "did you mean 'cloudNativePG'?")]
    [InlineData("archiving: true", "archiving: yes", "policies[0].databases[0].archiving: 'yes' is not true or false")]
    [InlineData("executor: direct", "engine: mariadb\n        executor: direct", "'archiving' watches PostgreSQL's WAL archiver")]
    public void Parse_Invalid_NamesTheFieldAndWhy(string find, string replace, string expected)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_LocatesTheLine()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(Valid.Replace("method: volumeSnapshot", "method: snapshot", StringComparison.Ordinal)));

        Assert.Contains("strata.yaml:14:", error.Message, StringComparison.Ordinal);
    }
}
