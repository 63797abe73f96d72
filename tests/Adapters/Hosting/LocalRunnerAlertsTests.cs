using Strata.Adapters.Hosting;
using Strata.Core.Runs;
using Strata.TestKit;
using Strata.TestKit.Alerts;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>
/// Alerts end to end in <c>strata run</c>'s runner, against the sandbox and a webhook sink: the backup identity loses
/// <c>list</c> on secrets → the partial backup's alert reaches PagerDuty as a <c>trigger</c> listing the failed item →
/// the identity is fixed → the next backup succeeds → PagerDuty receives the <c>resolve</c> with the same <c>dedup_key</c>.
/// </summary>
public sealed class LocalRunnerAlertsTests : IAsyncLifetime
{
    private const string RoutingKey = "R0UT1NGK3Y0123456789abcdefabcdef";
    private readonly List<string> _log = [];
    private WebhookSink _sink = null!;
    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync()
    {
        _sink = await WebhookSink.StartAsync();
        _sink.AnswerByDefault("/v2/enqueue", 202, """{"status":"success","message":"Event processed"}""");
        // The route names the policy: the coverage timer's warning about prod (which names no policy) pages nobody here.
        _world = await ControlPlaneWorld.StartAsync(alerts: $$"""
            alerts:
              channels:
                - { name: oncall, type: pagerduty, url: {{_sink.Url("/v2/enqueue").AbsoluteUri}}, routingKey: { env: PD_KEY } }
              routes:
                - { severity: warning, clusters: [prod], policies: [minutely], channels: [oncall] }
            """, alertDelivery: _sink.DeliveryOptions());
        _world.Variables["PD_KEY"] = RoutingKey;
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        for (var i = 0; i < 400; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{what} did not happen; log:\n" + string.Join('\n', _log));
    }

    [Fact]
    public async Task PartialBackup_PagesPagerDuty_ThenTheNextGoodBackup_ResolvesItWithTheSameDedupKey()
    {
        _world.Prod.Access.Deny("list", "", "secrets");
        using var stop = new CancellationTokenSource();
        var runner = new LocalRunner(_world.Context, new LocalRunnerOptions
        {
            TimerPeriods = new Dictionary<string, TimeSpan> { ["schedule-tick"] = TimeSpan.FromMilliseconds(50) },
            FirstBackoff = TimeSpan.FromMilliseconds(10),
            DeadLetterFolder = Path.Combine(_world.Dir.Path, "dead-letter"),
        }, line => { lock (_log) { _log.Add(line); } });
        var running = runner.RunAsync(stop.Token);
        await Task.Delay(200); // the policy is first seen

        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        var trigger = await WaitForAsync(() => Task.FromResult(_sink.On("/v2/enqueue").FirstOrDefault()), "the trigger");
        _world.Prod.Access.ClearDenials();
        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        var resolve = await WaitForAsync(() => Task.FromResult(_sink.On("/v2/enqueue").Skip(1).FirstOrDefault()), "the resolve");
        stop.Cancel();
        await running;

        var backups = await _world.Location.History.ListBackupsAsync().ToListAsync();
        Assert.Equal([BackupStatus.Verified, BackupStatus.PartiallyFailed], backups.Where(b => b.Cluster == "prod").Select(b => b.Status));
        var sent = trigger.Json;
        Assert.Equal(("trigger", "backup-partial/minutely/prod", "warning"),
            (sent["event_action"]!.GetValue<string>(), sent["dedup_key"]!.GetValue<string>(), sent["payload"]!["severity"]!.GetValue<string>()));
        Assert.Contains(sent["payload"]!["custom_details"]!["failed_items"]!.AsArray(), i => i!.GetValue<string>().StartsWith("secrets", StringComparison.Ordinal));
        Assert.Equal(("resolve", "backup-partial/minutely/prod", RoutingKey),
            (resolve.Json["event_action"]!.GetValue<string>(), resolve.Json["dedup_key"]!.GetValue<string>(), resolve.Json["routing_key"]!.GetValue<string>()));
        Assert.Equal(2, _sink.Requests.Count); // dr's backups page nobody (the route is for prod)
        Assert.DoesNotContain(_log, l => l.Contains(RoutingKey, StringComparison.Ordinal));
        Assert.Contains(_log, l => l.Contains("oncall: delivered 202", StringComparison.Ordinal));
    }
}
