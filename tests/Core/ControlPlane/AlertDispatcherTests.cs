using Strata.Core.Alerts;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>
/// The alert dispatcher on the fakes, with a channel port that records: incidents recorded and deduplicated,
/// routed by severity, cluster and policy, re-notified on the clock the test moves, resolved to the channels that
/// were told, a failing channel recorded without holding up the others, and its own rejections dispatched in process.
/// </summary>
public sealed class AlertDispatcherTests
{
    private const string Alerts = """
        alerts:
          statusPage: https://strata.example.com/status
          channels:
            - { name: oncall, type: pagerduty, routingKey: { env: PD_KEY } }
            - { name: platform, type: slack, url: { env: SLACK_URL } }
            - { name: audit, type: webhook, url: { env: AUDIT_URL }, secret: { env: AUDIT_SECRET } }
          routes:
            - severity: critical
              clusters: [prod]
              channels: [oncall]
              renotify: 4h
            - severity: warning
              channels: [platform]
            - policies: [nightly]
              channels: [audit]
              renotify: 1d
        """;

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(alerts: Alerts);

    private Task<FunctionResult> HandleAsync(Envelope envelope, int deliveryCount = 1) =>
        AlertDispatcher.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(envelope, deliveryCount));

    private Envelope Resolve(string id, string dedupKey = "backup-failed/nightly/prod") =>
        new(id, id, _plane.Clock.GetUtcNow(), new AlertResolved(dedupKey, "Backup 20261121-093000-abcdef succeeded", "prod", "nightly"));

    private IEnumerable<string> Told() => _plane.Channels.Sent.Select(s => $"{s.Channel}:{s.Notification.Action}".ToLowerInvariant());

    [Fact]
    public async Task Handle_SameIncidentTwice_OneRecordCountedTwice_ARedeliveryCountedOnce()
    {
        await HandleAsync(_plane.Alert("alert-1"));
        _plane.Clock.Advance(TimeSpan.FromDays(1));
        await HandleAsync(_plane.Alert("alert-2", AlertSeverity.Warning));
        await HandleAsync(_plane.Alert("alert-2", AlertSeverity.Warning), deliveryCount: 2);

        var incident = Assert.Single(await _plane.State.ListAlertsAsync().ToListAsync());
        Assert.Equal((2, AlertSeverity.Warning, "alert-2"), (incident.Count, incident.Severity, incident.LastMessageId));
        Assert.Equal(incident.FirstRaisedAt.AddDays(1), incident.LastRaisedAt);
    }

    [Fact]
    public async Task Handle_NewCriticalIncident_GoesToEveryRouteItMatches_WithWhatPeopleNeed()
    {
        var result = await HandleAsync(_plane.Alert("alert-1"));

        Assert.Equal(["audit:trigger", "oncall:trigger", "platform:trigger"], Told().Order(StringComparer.Ordinal));
        var sent = _plane.Channels.To("oncall").Single();
        Assert.Equal(("backup-failed/nightly/prod", "prod", "nightly", false), (sent.DedupKey, sent.Cluster, sent.Policy, sent.Renotify));
        Assert.Equal(new Uri("https://strata.example.com/status"), sent.StatusPage);
        Assert.Equal("alert-1", sent.Message.Id);
        var incident = (await _plane.State.FindAlertAsync("backup-failed/nightly/prod"))!;
        Assert.Equal(["audit", "oncall", "platform"], incident.Notifications.Select(n => n.Channel));
        Assert.Contains("oncall: delivered 200 ok (1 attempt) (new incident)", Assert.Single(result.Logs));
        Assert.Empty(result.Messages);
    }

    [Theory]
    [InlineData(AlertSeverity.Warning, "prod", "nightly", new[] { "audit", "platform" })] // oncall takes critical only
    [InlineData(AlertSeverity.Critical, "dr", "nightly", new[] { "audit", "platform" })] // oncall takes prod only
    [InlineData(AlertSeverity.Info, "prod", "nightly", new[] { "audit" })] // platform takes warning and above
    [InlineData(AlertSeverity.Critical, "prod", "weekly", new[] { "oncall", "platform" })] // audit takes nightly only
    [InlineData(AlertSeverity.Critical, null, null, new[] { "platform" })] // a route naming clusters or policies needs the alert to have one
    public async Task Handle_Routes_BySeverityClusterAndPolicy(AlertSeverity severity, string? cluster, string? policy, string[] expected)
    {
        await HandleAsync(_plane.Alert("alert-1", severity, cluster: cluster, policy: policy));

        Assert.Equal(expected, _plane.Channels.Sent.Select(s => s.Channel).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Handle_IncidentRaisedAgain_IsDeduplicated_UntilEachRoutesRenotifyInterval()
    {
        await HandleAsync(_plane.Alert("alert-1"));
        _plane.Clock.Advance(TimeSpan.FromMinutes(10));
        var again = await HandleAsync(_plane.Alert("alert-2"));
        _plane.Clock.Advance(TimeSpan.FromHours(4));
        var later = await HandleAsync(_plane.Alert("alert-3"));
        _plane.Clock.Advance(TimeSpan.FromHours(20));
        var nextDay = await HandleAsync(_plane.Alert("alert-4"));

        Assert.Equal(6, _plane.Channels.Sent.Count); // 3 + oncall after 4h + oncall and audit after a day
        Assert.Contains("oncall: deduplicated: told 10m ago, again after 4h", Assert.Single(again.Logs));
        Assert.Contains("platform: deduplicated: told 10m ago", Assert.Single(again.Logs));
        var reminder = _plane.Channels.To("oncall")[1];
        Assert.True(reminder.Renotify);
        Assert.Equal(3, reminder.Occurrences);
        Assert.Contains("still open 4h10m after it was last told (renotify 4h)", Assert.Single(later.Logs));
        Assert.Equal(["oncall", "audit"], _plane.Channels.Sent.Skip(4).Select(s => s.Channel).OrderDescending(StringComparer.Ordinal));
        Assert.Equal(4, (await _plane.State.FindAlertAsync("backup-failed/nightly/prod"))!.Count);
        Assert.Contains("platform: deduplicated: told 1d10m ago", Assert.Single(nextDay.Logs)); // no renotify on its route
    }

    [Fact]
    public async Task Handle_SeverityRises_ChannelsToldAtTheLowerSeverityAreToldAgainAtOnce()
    {
        await HandleAsync(_plane.Alert("alert-1", AlertSeverity.Warning));
        _plane.Clock.Advance(TimeSpan.FromMinutes(1));
        var critical = await HandleAsync(_plane.Alert("alert-2", AlertSeverity.Critical));

        Assert.Equal(["audit", "platform"], _plane.Channels.Sent.Take(2).Select(s => s.Channel).Order(StringComparer.Ordinal));
        Assert.Equal(["audit", "oncall", "platform"], _plane.Channels.Sent.Skip(2).Select(s => s.Channel).Order(StringComparer.Ordinal));
        Assert.Contains("platform: delivered 200 ok (1 attempt) (severity rose from warning to critical)", Assert.Single(critical.Logs));
    }

    [Fact]
    public async Task Handle_Resolved_GoesToTheChannelsThatWereTold_WithTheSameKey_Once()
    {
        await HandleAsync(_plane.Alert("alert-1", AlertSeverity.Warning)); // platform and audit, not oncall
        _plane.Clock.Advance(TimeSpan.FromHours(1));

        var resolved = await HandleAsync(Resolve("resolve-1"));
        var redelivered = await HandleAsync(Resolve("resolve-1"), deliveryCount: 2);
        var unknown = await HandleAsync(Resolve("resolve-2", "backup-failed/nightly/dr"));

        var resolves = _plane.Channels.Sent.Where(s => s.Notification.Action == AlertAction.Resolve).ToList();
        Assert.Equal(["audit", "platform"], resolves.Select(r => r.Channel).Order(StringComparer.Ordinal));
        Assert.All(resolves, r => Assert.Equal(("backup-failed/nightly/prod", "Backup 20261121-093000-abcdef succeeded"), (r.Notification.DedupKey, r.Notification.Summary)));
        var incident = (await _plane.State.FindAlertAsync("backup-failed/nightly/prod"))!;
        Assert.Equal((IncidentStatus.Resolved, _plane.Clock.GetUtcNow()), (incident.Status, incident.ResolvedAt));
        Assert.All(incident.Notifications, n => Assert.Equal(_plane.Clock.GetUtcNow(), n.ResolvedAt));
        Assert.Contains("resolved [backup-failed/nightly/prod]", Assert.Single(resolved.Logs));
        Assert.EndsWith("; no channel", Assert.Single(redelivered.Logs));
        Assert.Contains("no such incident", Assert.Single(unknown.Logs));
        Assert.Equal(4, _plane.Channels.Sent.Count);
    }

    [Fact]
    public async Task Handle_RaisedAfterItResolved_OpensAgain_AndTellsEveryChannelAgain()
    {
        await HandleAsync(_plane.Alert("alert-1"));
        await HandleAsync(Resolve("resolve-1"));
        _plane.Clock.Advance(TimeSpan.FromMinutes(5));

        await HandleAsync(_plane.Alert("alert-2"));

        Assert.Equal(9, _plane.Channels.Sent.Count); // three triggers, three resolves, three triggers
        var incident = (await _plane.State.FindAlertAsync("backup-failed/nightly/prod"))!;
        Assert.Equal((IncidentStatus.Open, _plane.Clock.GetUtcNow(), (DateTimeOffset?)null, 2), (incident.Status, incident.OpenedAt, incident.ResolvedAt, incident.Count));
    }

    [Fact]
    public async Task Handle_ChannelFailing_IsRecorded_TheOthersStillReceive_AndItIsRetriedWithTheNextAlert()
    {
        _plane.Channels.Fail("platform", "no_service");
        var first = await HandleAsync(_plane.Alert("alert-1"));
        _plane.Clock.Advance(TimeSpan.FromMinutes(5));
        await HandleAsync(_plane.Alert("alert-2"));

        Assert.Null(first.Rejection); // completed: never redelivered to all channels again
        Assert.Equal(["audit", "oncall"], _plane.Channels.Sent.Select(s => s.Channel).Order(StringComparer.Ordinal));
        Assert.Contains("platform: FAILED 500 no_service (4 attempts) (new incident)", Assert.Single(first.Logs));
        var health = await _plane.State.ListChannelHealthAsync().ToListAsync();
        var platform = Assert.Single(health, h => h.Channel == "platform");
        Assert.Equal((2, "500 no_service (4 attempts)", (DateTimeOffset?)null), (platform.ConsecutiveFailures, platform.LastError, platform.LastSuccessAt));
        Assert.Equal(0, Assert.Single(health, h => h.Channel == "oncall").ConsecutiveFailures);

        _plane.Channels.Recover("platform");
        _plane.Clock.Advance(TimeSpan.FromMinutes(5));
        await HandleAsync(_plane.Alert("alert-3"));

        Assert.Single(_plane.Channels.To("platform")); // told now; oncall and audit were told already
        Assert.Equal(2, _plane.Channels.Sent.Count(s => s.Channel != "platform"));
        Assert.Equal(0, (await _plane.State.ListChannelHealthAsync().ToListAsync()).Single(h => h.Channel == "platform").ConsecutiveFailures);
    }

    [Fact]
    public async Task Handle_ChannelThatThrows_IsAFailedDelivery_WithoutTheExceptionsText()
    {
        _plane.Channels.Throw("oncall");

        var result = await HandleAsync(_plane.Alert("alert-1"));

        Assert.Equal(2, _plane.Channels.Sent.Count);
        var oncall = (await _plane.State.ListChannelHealthAsync().ToListAsync()).Single(h => h.Channel == "oncall");
        Assert.Equal("the channel failed unexpectedly (InvalidOperationException) (0 attempts)", oncall.LastError);
        Assert.DoesNotContain("secret-path", string.Join("\n", result.Logs));
    }

    [Theory]
    [InlineData("{not json", "not JSON")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"b-1","createdAt":"2026-11-21T09:30:00Z","payload":{"cluster":"prod","policy":"nightly"}}""", "does not belong on queue strata-alerts (it takes AlertRaised and AlertResolved)")]
    public async Task Handle_MessageItCannotUse_IsRecordedAndItsAlertDispatchedHere_NotSentToItsOwnQueue(string body, string reason)
    {
        var message = new InboundMessage(Queues.Alerts, body, "sb-bad");

        var result = await AlertDispatcher.HandleAsync(_plane.Context, message);
        var redelivered = await AlertDispatcher.HandleAsync(_plane.Context, message with { DeliveryCount = 2 });

        Assert.Empty(result.Messages); // the dispatcher has no binding to strata-alerts
        Assert.Contains(reason, result.Rejection);
        Assert.Equal("strata-alerts", Assert.Single(await _plane.State.ListRejectedAsync().ToListAsync()).Queue);
        var incident = Assert.Single(await _plane.State.ListAlertsAsync().ToListAsync());
        Assert.Equal(("message-rejected", "message-rejected/strata-alerts"), (incident.Kind, incident.DedupKey));
        var told = Assert.Single(_plane.Channels.Sent); // a warning about no cluster or policy: the platform route only
        Assert.Equal(("platform", "message-rejected"), (told.Channel, told.Notification.Kind));
        Assert.Contains(reason, told.Notification.Summary);
        Assert.Empty(redelivered.Messages);
        Assert.Single(_plane.Channels.Sent); // alerted once
    }

    [Fact]
    public async Task Handle_NoChannelsConfigured_RecordsOnly()
    {
        var plane = ControlPlaneFakes.Create();

        var result = await AlertDispatcher.HandleAsync(plane.Context, ControlPlaneFakes.Delivery(plane.Alert("alert-1")));

        Assert.Empty(plane.Channels.Sent);
        Assert.EndsWith("; no channel", Assert.Single(result.Logs));
        Assert.Single(await plane.State.ListAlertsAsync().ToListAsync());
    }
}
