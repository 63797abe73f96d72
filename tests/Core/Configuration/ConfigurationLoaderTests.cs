using Strata.Adapters.Hosting;
using Strata.Core.Configuration;

namespace Strata.Core.Tests.Configuration;

public class ConfigurationLoaderTests
{
    private const string Valid = """
        version: 1
        clusters:
          - name: prod-weu
            context: prod-weu-admin
            tags: { env: prod, region: weu }
          - name: prod-neu
            server: https://prod-neu.example.com:6443
            certificateAuthority: /etc/strata/prod-neu-ca.crt
            token: { env: PROD_NEU_TOKEN }
            tags: { env: prod }
          - name: staging
            server: https://staging.example.com
            clientCertificate: { file: /var/run/strata/staging.crt }
            clientKey: { keyVault: { vault: strata-kv, secret: staging-key } }
        policies:
          - name: nightly
            clusters: ["tag:env=prod"]
            schedule: "30 2 * * *"
            timeZone: Europe/Amsterdam
            rpo: 26h
            scope:
              excludeNamespaces: [kube-system]
              selector: "tier in (web,db)"
              clusterResources: include
            gitops: skip
            retention: { keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 6, maxAge: 400d, minVerifiedKept: 2 }
            writeOnceDays: 30
            verification: { driftThreshold: 30% }
          - name: hourly
            clusters: [prod-*, staging]
            schedule: "0 * * * *"
        """;

    [Fact]
    public void Parse_ValidFile_ReadsEveryField()
    {
        var configuration = ConfigurationLoader.Parse(Valid, "strata.yaml", SystemTimeZones.Instance);

        Assert.Equal(["prod-weu", "prod-neu", "staging"], configuration.Clusters.Select(c => c.Name));
        var neu = configuration.FindCluster("prod-neu")!;
        Assert.Equal(new Uri("https://prod-neu.example.com:6443"), neu.Server);
        Assert.Equal(new SecretReference(SecretSource.Environment, "PROD_NEU_TOKEN"), neu.Token);
        Assert.Equal(new SecretReference(SecretSource.KeyVault, "staging-key", "strata-kv"), configuration.FindCluster("staging")!.ClientKey);
        Assert.Equal("keyVault:strata-kv/staging-key", configuration.FindCluster("staging")!.ClientKey!.ToString());

        var nightly = configuration.FindPolicy("nightly")!;
        Assert.Equal(["prod-weu", "prod-neu"], configuration.ClustersOf(nightly).Select(c => c.Name));
        Assert.Equal("Europe/Amsterdam", nightly.TimeZone.Id);
        Assert.Equal(TimeSpan.FromHours(26), nightly.RecoveryPointObjective);
        Assert.True(nightly.Scope.SkipGitOpsManaged);
        Assert.Equal(["kube-system"], nightly.Scope.ExcludeNamespaces);
        Assert.Equal("tier in (web,db)", nightly.Scope.Selector.ToString());
        Assert.Equal(Strata.Core.Backup.ClusterResourcesMode.Include, nightly.Scope.ClusterResources);
        Assert.Equal(new Strata.Core.Retention.RetentionRules { KeepLast = 3, KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 6, MaxAge = TimeSpan.FromDays(400), MinVerifiedKept = 2 }, nightly.Retention);
        Assert.Equal(30, nightly.WriteOnceDays);
        Assert.Equal(0.3, nightly.Verification.DriftThreshold, 6);
        Assert.Equal(0.5, configuration.Policies[1].Verification.DriftThreshold, 6); // the default
        Assert.Equal(16, nightly.Line);

        var hourly = configuration.FindPolicy("hourly")!;
        Assert.Equal(["prod-weu", "prod-neu", "staging"], configuration.ClustersOf(hourly).Select(c => c.Name));
        Assert.Equal(TimeZoneInfo.Utc, hourly.TimeZone);
        Assert.Equal(7, hourly.Retention.KeepLast);
        Assert.False(hourly.Scope.SkipGitOpsManaged);
    }

    [Theory]
    [InlineData("schedule: \"30 2 * * *\"", "schedule: \"30 25 * * *\"", "strata.yaml:18:15: policies[0].schedule: invalid cron expression '30 25 * * *': hour field '25': Value must be a number between 0 and 23")]
    [InlineData("timeZone: Europe/Amsterdam", "timeZone: Europe/Amsterdm", "strata.yaml:19:15: policies[0].timeZone: 'Europe/Amsterdm' is not a time zone")]
    [InlineData("keepDaily: 7,", "keepDialy: 7,", "policies[0].retention.keepDialy: unknown field 'keepDialy'")]
    [InlineData("rpo: 26h", "rpo: 26 hours", "strata.yaml:20:10: policies[0].rpo: '26 hours' is not a duration")]
    [InlineData("gitops: skip", "gitops: maybe", "policies[0].gitops: 'maybe' is not 'keep' or 'skip'")]
    [InlineData("writeOnceDays: 30", "writeOnceDays: -1", "policies[0].writeOnceDays: '-1' is not a whole number from 0 to 36500")]
    [InlineData("clusters: [prod-*, staging]", "clusters: [qa-*]", "policies[1].clusters: [qa-*] matches no cluster")]
    [InlineData("- name: staging", "- name: prod-weu", "clusters: 'prod-weu' is defined more than once (lines 3, 11)")]
    [InlineData("- name: hourly", "- name: Hourly!", "policies[1].name: 'Hourly!' must be 1-63 lowercase letters")]
    [InlineData("selector: \"tier in (web,db)\"", "selector: \"tier in (web\"", "policies[0].scope.selector:")]
    [InlineData("server: https://staging.example.com", "server: ftp://staging", "clusters[2].server: 'ftp://staging' is not an http(s) URL")]
    [InlineData("context: prod-weu-admin", "context: prod-weu-admin\n    server: https://x", "clusters[0]: give either 'context' or 'server', not both")]
    public void Parse_Invalid_NamesFileLineAndField(string find, string replace, string expected)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_InlineSecret_IsRefusedWithoutRepeatingIt()
    {
        var yaml = Valid.Replace("token: { env: PROD_NEU_TOKEN }", "token: eyJhbGciOiJSUzI1NiIsImtpZCI6InNlY3JldCJ9", StringComparison.Ordinal);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance));

        Assert.Contains("strata.yaml:9:12: clusters[1].token: secrets are never written in strata.yaml; reference one instead", error.Message);
        Assert.DoesNotContain("eyJhbGci", error.Message);
    }

    [Fact]
    public void Parse_Heartbeat_ReadsTheReference_AndRefusesAnInlineUrlWithoutRepeatingIt()
    {
        var referenced = ConfigurationLoader.Parse(Valid + "\nheartbeat: { url: { env: HC_PING_URL } }\n", "strata.yaml", SystemTimeZones.Instance);
        var inline = Assert.Throws<ConfigurationException>(() =>
            ConfigurationLoader.Parse(Valid + "\nheartbeat:\n  url: https://hc-ping.com/0b8a3e1c-secret\n", "strata.yaml", SystemTimeZones.Instance));

        Assert.Equal("HC_PING_URL", referenced.Heartbeat!.Name);
        var lines = Valid.Split('\n').Length;
        Assert.Contains($"strata.yaml:{lines + 2}:8: heartbeat.url: a ping URL is a credential", inline.Message);
        Assert.DoesNotContain("0b8a3e1c", inline.Message);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var yaml = Valid.Replace("keepLast: 3", "keepLast: many", StringComparison.Ordinal).Replace("rpo: 26h", "rpo: soon", StringComparison.Ordinal);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, "/etc/strata.yaml", SystemTimeZones.Instance));

        Assert.Equal(2, error.Errors.Count);
        Assert.StartsWith("/etc/strata.yaml: 2 problems:", error.Message);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("clusters: [\n", "not valid YAML")]
    [InlineData("version: 2\nclusters: []\npolicies: []", "unsupported version '2'")]
    [InlineData("clusters:\n  - name: a\n    context: a\n", "strata.yaml:1:1: policies: 'policies' is required")]
    [InlineData("- just a list", "expected a mapping")]
    public void Parse_WrongShape_SaysWhat(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("30m", 30)]
    [InlineData("1h30m", 90)]
    [InlineData("2d", 2880)]
    [InlineData("1w", 10080)]
    public void Durations_Parse(string text, int minutes)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
        Assert.True(DurationText.TryParse(DurationText.Format(duration), out var again));
        Assert.Equal(duration, again);
    }
}
