using System.Text.Json.Nodes;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.TestKit;
using Strata.TestKit.Alerts;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>
/// The freshness pass's alerts end to end, against the sandbox and an HTTPS webhook sink speaking PagerDuty's Events API
/// v2, with a clock the test moves: an RPO breach pages and the next verified backup resolves it; an open incident
/// nobody raises again is re-notified once its route's <c>renotify</c> has passed, and not before.
/// </summary>
public sealed class FreshnessAlertsTests : IAsyncLifetime
{
    private const string Breach = "rpo-breached/hourly/prod";
    private const string Failed = "backup-failed/hourly/prod";
    private WebhookSink _sink = null!;
    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync()
    {
        _sink = await WebhookSink.StartAsync();
        _sink.AnswerByDefault("/v2/enqueue", 202, """{"status":"success","message":"Event processed"}""");
        _world = await ControlPlaneWorld.StartAsync("""
              - name: hourly
                clusters: [prod]
                schedule: "0 * * * *"
                rpo: 2h
            """, alerts: $$"""
            alerts:
              channels:
                - { name: oncall, type: pagerduty, url: {{_sink.Url("/v2/enqueue").AbsoluteUri}}, routingKey: { env: PD_KEY } }
              routes:
                - { severity: critical, channels: [oncall], renotify: 1h }
            """, alertDelivery: _sink.DeliveryOptions());
        _world.Variables["PD_KEY"] = "R0UT1NGK3Y0123456789abcdefabcdef";
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _sink.DisposeAsync();
    }

    /// <summary>What PagerDuty received for <paramref name="dedupKey"/>, in order.</summary>
    private List<JsonObject> Received(string dedupKey) =>
        [.. _sink.On("/v2/enqueue").Select(r => r.Json).Where(j => j["dedup_key"]!.GetValue<string>() == dedupKey)];

    /// <summary>One freshness pass, its alerts dispatched (to the sink) as the queue would deliver them.</summary>
    private async Task FreshnessAsync()
    {
        foreach (var message in (await FreshnessSweep.RunAsync(_world.Context)).Messages)
        {
            await InlinePipeline.RunAsync(_world.Context, message);
        }
    }

    /// <summary>A backup of prod now, through the backup worker, its verification and their alerts.</summary>
    private async Task<BackupRecord> BackUpAsync(string id)
    {
        var request = new Envelope(id, id, _world.Clock.GetUtcNow(), new BackupRequested("prod", "hourly", RequestedBy: "ci"));
        await InlinePipeline.RunAsync(_world.Context, request);
        return (await _world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
    }

    [Fact]
    public async Task RpoBreach_AfterTheClockMoves_Triggers_ThenTheNextVerifiedBackup_ResolvesWithTheSameDedupKey()
    {
        var first = await BackUpAsync("ci-1");
        Assert.Equal(BackupStatus.Verified, first.Status);
        _world.Clock.Advance(TimeSpan.FromHours(1.5));
        await FreshnessAsync(); // at risk, not breached: nothing pages
        Assert.Empty(_sink.Requests);

        _world.Clock.Advance(TimeSpan.FromHours(1));
        await FreshnessAsync();
        var trigger = Assert.Single(Received(Breach));
        Assert.Equal(("trigger", "critical", first.Id), (
            trigger["event_action"]!.GetValue<string>(), trigger["payload"]!["severity"]!.GetValue<string>(),
            trigger["payload"]!["custom_details"]!["run"]!.GetValue<string>()));
        Assert.Contains("past its recovery-point objective of 2h", trigger["payload"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);

        var second = await BackUpAsync("ci-2");
        await FreshnessAsync(); // the verify worker resolved it; the pass finds nothing left to say

        Assert.Equal(BackupStatus.Verified, second.Status);
        Assert.Equal(["trigger", "resolve"], Received(Breach).Select(j => j["event_action"]!.GetValue<string>()));
        Assert.Equal(Core.Alerts.IncidentStatus.Resolved, (await _world.Context.State.FindAlertAsync(Breach))!.Status);
        Assert.Equal(2, _sink.Requests.Count);
    }

    [Fact]
    public async Task OpenIncidentNobodyRaisesAgain_IsRenotifiedByTheFreshnessPass_OnceItsIntervalPassed_NotBefore()
    {
        var raised = new Envelope("a1", "a1", _world.Clock.GetUtcNow(), new AlertRaised(AlertSeverity.Critical, "backup-failed", "the nightly backup failed", Failed, "prod", "hourly"));
        await InlinePipeline.RunAsync(_world.Context, raised);
        Assert.Single(Received(Failed));

        foreach (var minutes in new[] { 5, 25, 29 }) // passes at 5, 30 and 59 minutes: told 59 minutes ago at most
        {
            _world.Clock.Advance(TimeSpan.FromMinutes(minutes));
            await FreshnessAsync();
        }

        Assert.Single(Received(Failed));
        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        await FreshnessAsync(); // 1h since it was told: due
        var told = Received(Failed);
        _world.Clock.Advance(TimeSpan.FromMinutes(5));
        await FreshnessAsync(); // told again just now: the next reminder is an hour away

        Assert.Equal(["trigger", "trigger"], told.Select(j => j["event_action"]!.GetValue<string>()));
        Assert.Equal(2, Received(Failed).Count);
        var incident = (await _world.Context.State.FindAlertAsync(Failed))!;
        Assert.Equal(Core.Alerts.IncidentStatus.Open, incident.Status);
        Assert.Equal(raised.CreatedAt + TimeSpan.FromHours(1), Assert.Single(incident.Notifications).NotifiedAt);
    }
}
