using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Strata.Adapters.Local;

/// <summary>
/// <c>strata serve</c> over a long run history: per size, a history of that many backup records (<see cref="StatusHistory"/>) in
/// a fresh local store, then per round a fresh <c>strata serve --port 0</c> process asked, in order, <c>/health</c> (Kestrel
/// warmed, nothing read), <c>GET /</c> twice (the first pays the page code's JIT), <c>/status</c>, <c>/metrics</c> twice (the
/// first reads the history, the second is answered from the 30 s cache); then its peak RSS (VmHWM) before and after the
/// requests. Beside it, in the same round and alternating which goes first, the plain-tools reading of the same files: jq
/// folding every backup record into the newest run and newest verified backup per pair, and every drill into the newest
/// measured RTO per pair — what <c>/status</c> says per pair. Every cluster's API server is a local listener that counts
/// connections: the page must read history only.
/// </summary>
internal static class StatusBench
{
    public const string Header =
        "| backups + drills | history | round | serve ready | GET / first | GET / again | page | GET /status | JSON | /metrics first | /metrics cached | series | RSS after /health | peak RSS after requests | jq | jq ÷ /status | jq peak RSS | load |";

    public const string Rule = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static async Task<string> RunAsync(string strata, int backups, int rounds, string jq)
    {
        var dir = Directory.CreateTempSubdirectory("strata-status-bench-");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connections = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref connections);
            }
        });

        try
        {
            var config = Path.Combine(dir.FullName, "strata.yaml");
            await File.WriteAllTextAsync(config, StatusHistory.Configuration(new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/")));
            var store = Path.Combine(dir.FullName, "store");
            var seeding = Stopwatch.StartNew();
            var drills = await StatusHistory.SeedAsync(new LocalRunHistory(Path.Combine(store, "history")), backups, DateTimeOffset.UtcNow);
            var historyBytes = Directory.EnumerateFiles(Path.Combine(store, "history"), "*.json", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeded {backups:N0} backups and {drills:N0} drills ({historyBytes / 1048576.0:0} MiB of JSON) in {seeding.Elapsed.TotalSeconds:0.0} s"));

            var rows = new List<string>();
            for (var round = 0; round < rounds; round++)
            {
                Timed? reference = null;
                if (round % 2 == 1)
                {
                    reference = await JqAsync(jq, store);
                }

                var serve = await ServeRoundAsync(strata, config, store);
                reference ??= await JqAsync(jq, store);
                var disagreements = Disagreements(serve.StatusJson, reference.Stdout.Split('\n')[0]);
                if (disagreements > 0)
                {
                    throw new InvalidOperationException($"jq and /status disagree on the newest run or newest verified backup of {disagreements} pairs");
                }
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {backups:N0} + {drills:N0} | {historyBytes / 1048576.0:0} MiB | {round + 1} | {serve.Ready:0.00} s | {serve.PageFirst:0.00} s | {serve.PageAgain:0.00} s | {serve.PageBytes / 1024.0:0} KiB | {serve.Status:0.00} s | {serve.StatusBytes / 1024.0:0} KiB | {serve.MetricsFirst:0.00} s | {serve.MetricsCached * 1000:0} ms | {serve.Series} | {serve.RssAfterHealth:0} MiB | {serve.PeakRss:0} MiB | {reference.Seconds:0.00} s | {reference.Seconds / serve.Status:0.0}× | {reference.PeakRssMiB:0} MiB | {Figures.Load()} |"));
                Console.Error.WriteLine(rows[^1]);
            }

            Console.Error.WriteLine($"connections to the clusters' API server while serving: {connections}");
            if (connections != 0)
            {
                rows.Add($"| (serve opened {connections} connections to the clusters' API server) |");
            }

            return string.Join('\n', rows);
        }
        finally
        {
            listener.Stop();
            dir.Delete(recursive: true); // hundreds of MiB at 100,000 records: gone even when a round fails
        }
    }

    private sealed record ServeRound(
        double Ready, double PageFirst, double PageAgain, long PageBytes, double Status, long StatusBytes, double MetricsFirst, double MetricsCached, int Series,
        double RssAfterHealth, double PeakRss, string StatusJson);

    private static async Task<ServeRound> ServeRoundAsync(string strata, string config, string store)
    {
        var start = new ProcessStartInfo(strata) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "serve", "--port", "0", "--config", config, "--store", store })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["STRATA_BENCH_TOKEN"] = "bench-token-never-used";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException($"strata serve said nothing: {await stderr}");
            var ready = clock.Elapsed.TotalSeconds;
            var url = new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim());
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
            await GetAsync(http, "/health");
            var rssAfterHealth = Rss(process.Id, "VmHWM");
            var pageFirst = await GetAsync(http, "/");
            var pageAgain = await GetAsync(http, "/");
            var status = await GetAsync(http, "/status");
            var metricsFirst = await GetAsync(http, "/metrics");
            var metricsCached = await GetAsync(http, "/metrics");
            var series = metricsFirst.Body.Split('\n').Count(l => l.StartsWith("strata_rpo_breached{", StringComparison.Ordinal));
            if (series == 0)
            {
                Console.Error.WriteLine("the first scrape had no strata_rpo_breached series: the history read outlasted the scrape's read timeout");
            }

            return new ServeRound(ready, pageFirst.Seconds, pageAgain.Seconds, pageAgain.Bytes, status.Seconds, status.Bytes, metricsFirst.Seconds, metricsCached.Seconds, series,
                rssAfterHealth, Rss(process.Id, "VmHWM"), status.Body);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(double Seconds, long Bytes, string Body)> GetAsync(HttpClient http, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        }

        return (seconds, body.LongLength, path is "/metrics" or "/status" ? System.Text.Encoding.UTF8.GetString(body) : "");
    }

    // Pairs where jq's newest run or newest verified backup is not the one /status names: the two must read the same answer.
    private static int Disagreements(string status, string jq)
    {
        var answers = System.Text.Json.Nodes.JsonNode.Parse(jq)!.AsObject();
        return System.Text.Json.Nodes.JsonNode.Parse(status)!["protection"]!.AsArray().Count(row =>
        {
            var pair = answers[$"{row!["cluster"]}/{row["policy"]}"];
            return pair?["last"]?["id"]?.ToString() != row["lastBackup"]?["id"]?.ToString()
                || pair?["verified"]?["id"]?.ToString() != row["lastVerified"]?["id"]?.ToString();
        });
    }

    // MiB, from /proc/PID/status (VmHWM: the peak resident set since the process started).
    private static double Rss(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).First();

    /// <summary>
    /// What /status says per pair, with plain tools over the same files: the newest run and the newest verified, unexpired
    /// backup per (cluster, policy), and the newest drill that measured an RTO. Streamed (<c>reduce inputs</c>), so jq holds
    /// one record and the per-pair answer, as serve does; the output is checked to have a pair per configured pair.
    /// </summary>
    private static async Task<Timed> JqAsync(string jq, string store)
    {
        const string Backups = """
            reduce inputs as $r ({}; ($r.cluster + "/" + $r.policy) as $k
              | if (.[$k].last.startedAt // "") < $r.startedAt then .[$k].last = {id: $r.id, status: $r.status, startedAt: $r.startedAt} else . end
              | if $r.status == "Verified" and $r.expiredAt == null and (.[$k].verified.startedAt // "") < $r.startedAt
                then .[$k].verified = {id: $r.id, startedAt: $r.startedAt} else . end)
            """;
        const string Drills = """
            reduce inputs as $d ({}; ($d.cluster + "/" + $d.policy) as $k
              | if $d.rtoSeconds != null and (.[$k].startedAt // "") < $d.startedAt then .[$k] = {id: $d.id, rto: $d.rtoSeconds, startedAt: $d.startedAt} else . end)
            """;
        var history = Path.Combine(store, "history");
        var script = $"find '{history}/backups' -name '*.json' -print0 | xargs -0 cat | {jq} -c -n '{Backups}' "
            + $"&& find '{history}/drills' -name '*.json' -print0 | xargs -0 cat | {jq} -c -n '{Drills}'";
        var run = await Timed.RunAsync("sh", ["-c", script]);
        var answers = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var pairs = answers.Length == 2 ? System.Text.Json.JsonDocument.Parse(answers[0]).RootElement.EnumerateObject().Count() : 0;
        if (run.ExitCode != 0 || pairs != StatusHistory.Clusters * StatusHistory.Policies)
        {
            throw new InvalidOperationException($"jq answered {pairs} pairs (exit {run.ExitCode}): {run.Stderr}");
        }

        return run;
    }
}
