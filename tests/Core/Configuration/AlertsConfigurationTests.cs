using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Core.Messages;

namespace Strata.Core.Tests.Configuration;

/// <summary><c>alerts:</c> in strata.yaml: channels whose secrets are references only, routes that name what exists, every error located.</summary>
public sealed class AlertsConfigurationTests
{
    private const string Clusters = """
        clusters:
          - name: prod-weu
            context: prod-weu
            tags: { env: prod }
          - name: staging
            context: staging
        policies:
          - name: nightly
            clusters: ["*"]
            schedule: "30 2 * * *"

        """;

    private static StrataConfiguration Parse(string alerts) => ConfigurationLoader.Parse(Clusters + alerts, "strata.yaml", SystemTimeZones.Instance);

    private static ConfigurationException Refused(string alerts) => Assert.Throws<ConfigurationException>(() => Parse(alerts));

    // Lines in the alerts text are offset by the 10 lines of Clusters.
    private const int Offset = 10;

    [Fact]
    public void Parse_EveryChannelTypeAndRoute_ReadsThemAll()
    {
        var configuration = Parse("""
            alerts:
              statusPage: https://strata.example.com/status
              channels:
                - name: oncall
                  type: pagerduty
                  routingKey: { keyVault: { vault: strata-kv, secret: pagerduty-routing-key } }
                - name: pd-eu
                  type: pagerduty
                  url: https://events.eu.pagerduty.com/v2/enqueue
                  routingKey: { env: PD_EU_KEY }
                - name: platform
                  type: slack
                  url: { env: SLACK_WEBHOOK_URL }
                - name: ops
                  type: teams
                  url: { file: /var/run/secrets/teams-url }
                - name: audit
                  type: webhook
                  url: { env: AUDIT_URL }
                  secret: { env: AUDIT_SECRET }
              routes:
                - severity: critical
                  clusters: ["tag:env=prod"]
                  channels: [oncall]
                  renotify: 4h
                - policies: ["night*", adhoc]
                  clusters: [staging, "prod-*"]
                  channels: [platform, ops]
                - channels: [audit]
            """);

        var alerts = configuration.Alerts;
        Assert.Equal(new Uri("https://strata.example.com/status"), alerts.StatusPage);
        Assert.Equal(["oncall", "pd-eu", "platform", "ops", "audit"], alerts.Channels.Select(c => c.Name));
        var oncall = alerts.FindChannel("oncall")!;
        Assert.Equal((AlertChannelType.PagerDuty, AlertChannelDefinition.PagerDutyEvents), (oncall.Type, oncall.Endpoint));
        Assert.Equal(new SecretReference(SecretSource.KeyVault, "pagerduty-routing-key", "strata-kv"), oncall.RoutingKey);
        Assert.Equal(new Uri("https://events.eu.pagerduty.com/v2/enqueue"), alerts.FindChannel("pd-eu")!.Endpoint);
        Assert.Equal(new SecretReference(SecretSource.Environment, "SLACK_WEBHOOK_URL"), alerts.FindChannel("platform")!.Url);
        Assert.Equal(new SecretReference(SecretSource.File, "/var/run/secrets/teams-url"), alerts.FindChannel("ops")!.Url);
        Assert.Equal(new SecretReference(SecretSource.Environment, "AUDIT_SECRET"), alerts.FindChannel("audit")!.SigningSecret);
        Assert.Equal(3, alerts.Routes.Count);
        Assert.Equal((AlertSeverity.Critical, TimeSpan.FromHours(4)), (alerts.Routes[0].MinimumSeverity, alerts.Routes[0].Renotify));
        Assert.Equal(["night*", "adhoc"], alerts.Routes[1].Policies.Select(p => p.Text));
        Assert.Equal(AlertSeverity.Info, alerts.Routes[2].MinimumSeverity);
        Assert.Same(alerts.Routes, alerts.EffectiveRoutes);
    }

    [Fact]
    public void Parse_ChannelsWithoutRoutes_WarningsAndAboveGoToEveryChannel()
    {
        var alerts = Parse("""
            alerts:
              channels:
                - { name: platform, type: slack, url: { env: SLACK_URL } }
                - { name: oncall, type: pagerduty, routingKey: { env: PD_KEY } }
            """).Alerts;

        var route = Assert.Single(alerts.EffectiveRoutes);
        Assert.Equal((AlertSeverity.Warning, null), (route.MinimumSeverity, route.Renotify));
        Assert.Equal(["platform", "oncall"], route.Channels);
        Assert.Empty(route.Clusters);
    }

    [Fact]
    public void Parse_NoAlertsSection_NoChannels()
    {
        Assert.Same(AlertsDefinition.None, Parse("").Alerts);
        Assert.Empty(AlertsDefinition.None.EffectiveRoutes);
    }

    [Fact]
    public void Parse_InlineUrl_IsRefusedAtItsPosition_WithoutRepeatingIt()
    {
        const string Url = "https://hooks.slack.com/services/T0123/B0456/s3cr3tT0k3nV4lu3";
        var error = Refused($"""
            alerts:
              channels:
                - name: platform
                  type: slack
                  url: {Url}
            """);

        var problem = Assert.Single(error.Errors);
        Assert.Equal(("strata.yaml", Offset + 5, 12, "alerts.channels[0].url"), (problem.Source, problem.Line, problem.Column, problem.Field));
        Assert.StartsWith($"strata.yaml:{Offset + 5}:12: alerts.channels[0].url: a webhook URL is a secret", problem.ToString());
        Assert.Contains("{env: VARIABLE}", problem.Message);
        Assert.DoesNotContain("s3cr3t", error.Message);
        Assert.DoesNotContain("hooks.slack.com", error.Message);
    }

    [Theory]
    [InlineData("routingKey: 0123456789abcdef0123456789abcdef", "alerts.channels[0].routingKey", "a PagerDuty routing key is a secret", "0123456789abcdef")]
    [InlineData("routingKey: { env: K }\n      url: { env: PD_URL }", "alerts.channels[0].url", "not a secret: write it as https://", null)]
    public void Parse_PagerDutyFields_AreCheckedWithoutEchoingSecrets(string fields, string field, string message, string? secret)
    {
        var error = Refused($"""
            alerts:
              channels:
                - name: oncall
                  type: pagerduty
                  {fields}
            """);

        var problem = Assert.Single(error.Errors);
        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message);
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, error.Message);
        }
    }

    [Fact]
    public void Parse_UnknownChannelInRoute_IsRefusedAtTheName()
    {
        var error = Refused("""
            alerts:
              channels:
                - { name: platform, type: slack, url: { env: SLACK_URL } }
              routes:
                - severity: warning
                  channels: [platform, pager]
            """);

        var problem = Assert.Single(error.Errors);
        Assert.Equal((Offset + 6, 28, "alerts.routes[0].channels[1]"), (problem.Line, problem.Column, problem.Field));
        Assert.Equal("unknown channel 'pager' (channels: platform)", problem.Message);
    }

    [Fact]
    public void Parse_EveryOtherProblem_IsReportedTogether()
    {
        var error = Refused("""
            alerts:
              statusPage: http://strata.example.com
              channels:
                - { name: a, type: slack, url: { env: A }, secret: { env: S } }
                - { name: b, type: pagerduty }
                - { name: c, type: email, url: { env: C } }
                - { name: d, type: webhook, url: { env: D } }
                - { name: a, type: teams, url: { env: A2 }, colour: red }
              routes:
                - severity: urgent
                  clusters: [prod-neu, "tag:env=dr"]
                  policies: [weekly]
                  renotify: often
                  channels: []
                - severity: info
            """);

        var fields = error.Errors.Select(e => $"{e.Field}: {e.Message}").ToList();
        Assert.Contains(fields, f => f.StartsWith("alerts.statusPage: 'http://strata.example.com' is not an https URL", StringComparison.Ordinal));
        Assert.Contains("alerts.channels[0].secret: 'secret' is for webhook channels only", fields);
        Assert.Contains(fields, f => f.StartsWith("alerts.channels[1].routingKey: 'routingKey' is required", StringComparison.Ordinal));
        Assert.Contains("alerts.channels[2].type: 'email' is not slack, teams, pagerduty or webhook", fields);
        Assert.Contains(fields, f => f.StartsWith("alerts.channels[3].secret: 'secret' is required for a webhook channel", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("alerts.channels[4].colour: unknown field 'colour'", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("alerts.channels: 'a' is defined more than once", StringComparison.Ordinal));
        Assert.Contains("alerts.routes[0].severity: 'urgent' is not info, warning or critical (the least severity the route takes)", fields);
        Assert.Contains("alerts.routes[0].clusters[0]: unknown cluster 'prod-neu' (clusters: prod-weu, staging)", fields);
        Assert.Contains(fields, f => f.StartsWith("alerts.routes[0].policies[0]: unknown policy 'weekly'", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("alerts.routes[0].renotify: 'often' is not a duration", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("alerts.routes[1].channels: 'channels' is required", StringComparison.Ordinal));
        Assert.DoesNotContain(fields, f => f.Contains("tag:env=dr", StringComparison.Ordinal)); // a tag may select clusters added later
        Assert.All(error.Errors, e => Assert.True(e.Line > Offset && e.Column >= 1, e.ToString()));
    }
}
