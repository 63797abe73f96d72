using Strata.Core.Alerts;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit;
using Strata.TestKit.Alerts;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>
/// The freshness pass finishes deliveries that failed: an alert no attempt got through to is raised again on the
/// next pass, and a resolve that did not reach PagerDuty is sent again — so an incident never stays triggered there.
/// </summary>
public sealed class FreshnessRedriveTests : IAsyncLifetime
{
    private const string Key = "backup-failed/minutely/prod";
    private WebhookSink _sink = null!;
    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync()
    {
        _sink = await WebhookSink.StartAsync();
        _world = await ControlPlaneWorld.StartAsync(alerts: $$"""
            alerts:
              channels:
                - { name: oncall, type: pagerduty, url: {{_sink.Url("/v2/enqueue").AbsoluteUri}}, routingKey: { env: PD_KEY } }
            """, alertDelivery: _sink.DeliveryOptions(maxAttempts: 2));
        _world.Variables["PD_KEY"] = "R0UT1NGK3Y0123456789abcdefabcdef";
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task DispatchAsync(Envelope alert) =>
        await AlertDispatcher.HandleAsync(_world.Context, new InboundMessage(Queues.Alerts, MessageCodec.Serialize(alert), alert.Id));

    private async Task RunFreshnessAndDispatchAsync()
    {
        foreach (var message in (await FreshnessSweep.RunAsync(_world.Context)).Messages.Where(m => Queues.For(m.Payload) == Queues.Alerts))
        {
            await DispatchAsync(message);
        }
    }

    [Fact]
    public async Task FailedTriggerAndFailedResolve_AreDeliveredByTheNextPasses()
    {
        var now = _world.Clock.GetUtcNow();
        _sink.AnswerNext(2, 503); // both attempts of the trigger fail
        await DispatchAsync(new Envelope("a1", "a1", now, new AlertRaised(AlertSeverity.Critical, "backup-failed", "failed", Key, "prod", "minutely")));
        Assert.Empty((await _world.Context.State.FindAlertAsync(Key))!.Notifications);

        _world.Clock.Advance(TimeSpan.FromMinutes(5));
        await RunFreshnessAndDispatchAsync();
        Assert.Equal("oncall", Assert.Single((await _world.Context.State.FindAlertAsync(Key))!.Notifications).Channel);

        _sink.AnswerNext(2, 503); // both attempts of the resolve fail
        await DispatchAsync(new Envelope("r1", "r1", _world.Clock.GetUtcNow(), new AlertResolved(Key, "recovered", "prod", "minutely")));
        _world.Clock.Advance(TimeSpan.FromMinutes(5));
        await RunFreshnessAndDispatchAsync();
        await RunFreshnessAndDispatchAsync(); // nothing left to finish: sends nothing more

        var delivered = _sink.On("/v2/enqueue").Where(r => r.Status == 200).Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(["trigger", "resolve"], delivered.Select(d => d["event_action"]!.GetValue<string>()));
        Assert.All(delivered, d => Assert.Equal(Key, d["dedup_key"]!.GetValue<string>()));
        var incident = (await _world.Context.State.FindAlertAsync(Key))!;
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.NotNull(Assert.Single(incident.Notifications).ResolvedAt);
    }
}
