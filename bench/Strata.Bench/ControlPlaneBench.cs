using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Strata.Adapters.Hosting;
using Strata.Adapters.Local;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit;

/// <summary>
/// schedule-tick over many clusters × policies (every policy due at once: the worst case), and how soon the
/// published handler answers after its process starts.
/// </summary>
internal static class ControlPlaneBench
{
    public static async Task<string> ScheduleTickAsync(int clusters, int policies)
    {
        var yaml = new StringBuilder("clusters:\n");
        for (var c = 0; c < clusters; c++)
        {
            yaml.Append($"  - name: cluster-{c:000}\n    server: https://cluster-{c:000}.example.com:6443\n    token: {{ env: TOKEN_{c} }}\n    tags: {{ ring: \"{c % 4}\" }}\n");
        }

        yaml.Append("policies:\n");
        for (var p = 0; p < policies; p++)
        {
            var selector = p % 2 == 0 ? "\"cluster-*\"" : $"\"tag:ring={p % 4}\", \"cluster-0*\"";
            yaml.Append($"  - name: policy-{p:00}\n    clusters: [{selector}]\n    schedule: \"* * * * *\"\n    timeZone: Europe/Amsterdam\n");
        }

        using var dir = new TempDirectory();
        var parse = Stopwatch.StartNew();
        var configuration = ConfigurationLoader.Parse(yaml.ToString(), "bench.yaml", SystemTimeZones.Instance);
        parse.Stop();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 10, 0, 30, TimeSpan.Zero));
        var context = new ControlPlaneContext(configuration, null!, null!, new LocalRunHistory(dir.Path), new LocalControlState(dir.Path), clock, new ControlPlaneOptions());
        await ScheduleTick.RunAsync(context); // first sight: marks only
        clock.Advance(TimeSpan.FromMinutes(1));

        var tick = Stopwatch.StartNew();
        var result = await ScheduleTick.RunAsync(context);
        var bytes = result.Messages.Sum(m => (long)MessageCodec.Serialize(m).Length); // the handler serialises every output
        tick.Stop();
        return $"| {clusters} × {policies} | {result.Messages.Count} | {tick.Elapsed.TotalMilliseconds:0} ms | {bytes / 1024} KiB | {parse.Elapsed.TotalMilliseconds:0} ms |";
    }

    public static async Task<string> HandlerReadyAsync(string executable, int runs)
    {
        var times = new List<double>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < runs; i++)
        {
            var port = LoopbackPorts.Free();
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            while (true)
            {
                try
                {
                    using var response = await http.PostAsync($"http://127.0.0.1:{port}/health", new StringContent("{\"Data\":{},\"Metadata\":{}}", Encoding.UTF8, "application/json"));
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException)
                {
                    await Task.Delay(5);
                }

                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("the handler did not answer within 30 s");
                }
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
            process.Kill();
            await process.WaitForExitAsync();
        }

        times.Sort();
        return $"| {runs} | {times[runs / 2]:0} ms | {times[0]:0} ms | {times[^1]:0} ms |";
    }
}
