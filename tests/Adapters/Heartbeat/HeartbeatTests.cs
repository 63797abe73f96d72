using Strata.Core.ControlPlane;
using Strata.TestKit;
using Strata.TestKit.Alerts;

namespace Strata.Adapters.Tests.Heartbeat;

/// <summary>The dead man's switch: every schedule tick GETs the configured URL; a failing switch never holds up the schedule, and its URL never shows.</summary>
public sealed class HeartbeatTests : IAsyncLifetime
{
    private WebhookSink _sink = null!;
    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync()
    {
        _sink = await WebhookSink.StartAsync();
        _world = await ControlPlaneWorld.StartAsync(alerts: "heartbeat: { url: { env: HEARTBEAT_URL } }", alertDelivery: _sink.DeliveryOptions());
        _world.Variables["HEARTBEAT_URL"] = _sink.Url("/ping/5f2c9e7a-secret-check-id").AbsoluteUri;
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task EveryTick_PingsTheSwitchWithAGet()
    {
        var first = await ScheduleTick.RunAsync(_world.Context);
        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        await ScheduleTick.RunAsync(_world.Context);

        var pings = _sink.On("/ping/5f2c9e7a-secret-check-id");
        Assert.Equal(2, pings.Count);
        Assert.All(pings, p => Assert.Equal("GET", p.Method));
        Assert.Contains("heartbeat: pinged", first.Logs);
    }

    [Fact]
    public async Task SwitchAnswers500_TheTickStillRuns_AndSaysSoWithoutTheUrl()
    {
        _sink.AnswerAlways("/ping/5f2c9e7a-secret-check-id", 500);

        var result = await ScheduleTick.RunAsync(_world.Context);

        var line = Assert.Single(result.Logs, l => l.StartsWith("heartbeat:", StringComparison.Ordinal));
        Assert.Contains("answered 500", line, StringComparison.Ordinal);
        Assert.Contains("HEARTBEAT_URL", line, StringComparison.Ordinal); // names the reference
        Assert.DoesNotContain("secret-check-id", string.Join('\n', result.Logs), StringComparison.Ordinal);
        Assert.True((await _world.Context.State.GetScheduleMarksAsync()).ContainsKey(ScheduleTick.HeartbeatMark));
    }
}
