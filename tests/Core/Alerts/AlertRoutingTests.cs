using Strata.Adapters.Hosting;
using Strata.Core.Alerts;
using Strata.Core.Configuration;
using Strata.Core.Messages;

namespace Strata.Core.Tests.Alerts;

public sealed class AlertRoutingTests
{
    private static readonly StrataConfiguration Configuration = ConfigurationLoader.Parse("""
        clusters:
          - { name: prod-weu, context: a, tags: { env: prod, region: weu } }
          - { name: prod-neu, context: b, tags: { env: prod } }
          - { name: lab, context: c }
        policies:
          - { name: nightly, clusters: ["*"], schedule: "0 2 * * *" }
          - { name: hourly, clusters: ["*"], schedule: "0 * * * *" }
        alerts:
          channels:
            - { name: pager, type: pagerduty, routingKey: { env: K } }
            - { name: chat, type: slack, url: { env: U } }
          routes:
            - { severity: critical, clusters: ["tag:env=prod"], channels: [pager], renotify: 4h }
            - { severity: critical, clusters: ["tag:region"], channels: [pager], renotify: 30m }
            - { policies: ["night*"], clusters: ["prod-*"], channels: [chat] }
        """, "strata.yaml", SystemTimeZones.Instance);

    private static IEnumerable<string> Route(AlertSeverity severity, string? cluster, string? policy) =>
        AlertRouting.ChannelsFor(Configuration, severity, cluster, policy).Select(r => $"{r.Channel.Name}:{(r.Renotify is { } t ? DurationText.Format(t) : "-")}");

    [Fact]
    public void ChannelsFor_TheSameChannelFromTwoRoutes_OnceWithTheShorterRenotify() =>
        Assert.Equal(["pager:30m", "chat:-"], Route(AlertSeverity.Critical, "prod-weu", "nightly"));

    [Fact]
    public void ChannelsFor_TagWithValue_AndGlobs() =>
        Assert.Equal(["pager:4h"], Route(AlertSeverity.Critical, "prod-neu", "hourly"));

    [Fact]
    public void ChannelsFor_AClusterNoLongerConfigured_MatchesByNameOnly() =>
        Assert.Equal(["chat:-"], Route(AlertSeverity.Critical, "prod-old", "nightly"));

    [Fact]
    public void ChannelsFor_NothingMatches_NoChannel() =>
        Assert.Empty(Route(AlertSeverity.Warning, "lab", "nightly"));
}
