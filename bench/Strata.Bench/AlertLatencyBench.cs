using System.Diagnostics;
using System.Globalization;
using Strata.Adapters.Hosting;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.TestKit;
using Strata.TestKit.Alerts;

/// <summary>
/// How soon on-call hears of a failed backup in <c>strata run</c>'s runner: a backup request is put on the in-process
/// queue for a cluster whose identity lost <c>list</c> on secrets; the backup ends PartiallyFailed and its alert goes to
/// a PagerDuty-shaped HTTPS sink. Measured: from the run record saying it ended to the sink receiving the trigger, and
/// from the request to the trigger (the backup included).
/// </summary>
internal static class AlertLatencyBench
{
    public static async Task<string> RunAsync(int rounds)
    {
        await using var sink = await WebhookSink.StartAsync();
        sink.AnswerByDefault("/v2/enqueue", 202, """{"status":"success","message":"Event processed"}""");
        await using var world = await ControlPlaneWorld.StartAsync(
            policies: """
              - name: nightly
                clusters: [prod]
                schedule: "0 3 * * *"
            """,
            alerts: $$"""
            alerts:
              channels:
                - { name: oncall, type: pagerduty, url: {{sink.Url("/v2/enqueue").AbsoluteUri}}, routingKey: { env: PD_KEY } }
            """,
            alertDelivery: sink.DeliveryOptions());
        world.Variables["PD_KEY"] = "R0UT1NGK3Y0123456789abcdefabcdef";
        world.Prod.Access.Deny("list", "", "secrets");
        var runner = new LocalRunner(world.Context, new LocalRunnerOptions { DeadLetterFolder = Path.Combine(world.Dir.Path, "dead-letter") }, _ => { });
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);

        var fromEnd = new List<double>();
        var fromRequest = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var before = sink.Requests.Count;
            var id = $"latency-{round}";
            var watch = Stopwatch.StartNew();
            var request = new Envelope(id, id, world.Clock.GetUtcNow(), new BackupRequested("prod", "nightly", RequestedBy: "bench"));
            var backupId = BackupWorker.BackupIdFor(request);
            runner.Enqueue(request);
            double? ended = null;
            while (sink.Requests.Count == before)
            {
                if (ended is null && await world.Location.History.FindBackupAsync(backupId) is { Status: not BackupStatus.InProgress })
                {
                    ended = watch.Elapsed.TotalMilliseconds;
                }

                await Task.Delay(2);
            }

            var delivered = watch.Elapsed.TotalMilliseconds;
            fromRequest.Add(delivered);
            fromEnd.Add(delivered - (ended ?? delivered));
            // Resolve the incident, so the next round opens a new one (an open incident is told once, not per alert).
            while (runner.Pending > 0)
            {
                await Task.Delay(10);
            }

            world.Clock.Advance(TimeSpan.FromMinutes(1));
            runner.Enqueue(new Envelope($"resolve-{round}", id, world.Clock.GetUtcNow(), new AlertResolved("backup-partial/nightly/prod", "bench round over", "prod", "nightly")));
            while (sink.Requests.Count < before + 2 || runner.Pending > 0)
            {
                await Task.Delay(10);
            }
        }

        await stop.CancelAsync();
        await running;
        static string Ms(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)));
        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        return $"| {rounds} | {Ms(fromEnd)} ms | {Median(fromEnd):0} ms | {Ms(fromRequest)} ms | {Median(fromRequest):0} ms |";
    }
}
