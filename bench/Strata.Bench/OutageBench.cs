using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Sandbox;
using Strata.Sandbox.Http;

/// <summary>
/// An API server that goes away mid-list and comes back: `strata backup create` (the published CLI) of a sandbox
/// holding N ConfigMaps, once undisturbed, once with the server stopped after the first 4,000 ConfigMaps for
/// <c>down</c> seconds (the port refuses connections; then it listens again on the same port with the same data, CA
/// and tokens), and once more the same with an outage budget shorter than the outage, which must fail as before,
/// naming where listing stopped.
/// </summary>
internal static class OutageBench
{
    public const string Header = "| run | ConfigMaps listed | status | objects | wall time | cost over no outage | first problem |\n|---|---:|---|---:|---:|---:|---|";

    // The sandbox's pages are 500 objects: seven continuations pass, the eighth request stops the server.
    private const int PagesBeforeTheOutage = 8;

    public static async Task<string> RunAsync(string strata, int configMaps, TimeSpan down, int shortBudgetSeconds)
    {
        await using var server = await SandboxApiServer.StartAsync();
        server.CreateNamespace("bench");
        var data = new string('x', 1000);
        for (var i = 0; i < configMaps; i++)
        {
            server.Create(SampleApplication.Obj("v1", "ConfigMap", "bench", $"config-{i:D6}", extra: o => o["data"] = new JsonObject { ["value"] = data }));
        }

        var dir = Directory.CreateTempSubdirectory("strata-outage-bench-");
        var kubeconfig = Path.Combine(dir.FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig("bench"));
        var rows = new List<string>();

        var calm = await BackupAsync(strata, kubeconfig, Path.Combine(dir.FullName, "calm"), []);
        rows.Add(Row("no outage", calm, calm.Seconds));

        var seconds = down.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        StopAfterTheFirstPages(server, down);
        var ridden = await BackupAsync(strata, kubeconfig, Path.Combine(dir.FullName, "ridden"), []);
        await server.WaitForRestartAsync();
        rows.Add(Row($"down {seconds} s after 4,000 ConfigMaps, default budget (120 s)", ridden, calm.Seconds));
        if (ridden.Status is not ("Succeeded" or "Verified") || ridden.ConfigMaps != calm.ConfigMaps || calm.ConfigMaps < configMaps || ridden.Objects != calm.Objects)
        {
            throw new InvalidOperationException($"the outage was not ridden out: {ridden.Status}, {ridden.ConfigMaps} ConfigMaps, {ridden.Objects} objects ({calm.Objects} without it); {ridden.Problem}");
        }

        var budget = shortBudgetSeconds.ToString(CultureInfo.InvariantCulture);
        StopAfterTheFirstPages(server, down);
        var failed = await BackupAsync(strata, kubeconfig, Path.Combine(dir.FullName, "failed"), ["--outage-budget", budget]);
        await server.WaitForRestartAsync();
        rows.Add(Row($"down {seconds} s after 4,000 ConfigMaps, `--outage-budget {budget}`", failed, calm.Seconds));

        dir.Delete(recursive: true);
        return string.Join('\n', rows);
    }

    private static void StopAfterTheFirstPages(SandboxApiServer server, TimeSpan down)
    {
        server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", OnlyContinuations = true, Kind = FaultKind.Latency, Delay = TimeSpan.Zero, Times = PagesBeforeTheOutage - 1 });
        server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", OnlyContinuations = true, Kind = FaultKind.Restart, Delay = down, Times = 1 });
    }

    private static async Task<Backup> BackupAsync(string strata, string kubeconfig, string store, string[] options)
    {
        var clock = Stopwatch.StartNew();
        var run = await Timed.RunAsync(strata, ["backup", "create", "--kubeconfig", kubeconfig, "--store", store, "-o", "json", .. options]);
        var result = JsonNode.Parse(run.Stdout)!;
        var problem = result["problems"]?.AsArray().FirstOrDefault()?["message"]?.GetValue<string>();
        var configMaps = (int)(result["countsByResource"]?["configmaps"]?.GetValue<long>() ?? -1);
        Console.Error.WriteLine($"exit {run.ExitCode} in {clock.Elapsed.TotalSeconds:0.0} s: {result["status"]}, {result["objectCount"]} objects {problem}");
        return new Backup(result["status"]!.GetValue<string>(), result["objectCount"]!.GetValue<long>(), configMaps, run.Seconds, problem);
    }

    private static string Row(string name, Backup backup, double calmSeconds) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {(backup.ConfigMaps < 0 ? "—" : backup.ConfigMaps.ToString("N0", CultureInfo.InvariantCulture))} | {backup.Status} | {backup.Objects:N0} | {backup.Seconds:0.0} s | {backup.Seconds - calmSeconds:+0.0;-0.0} s | {backup.Problem ?? "—"} |");

    private sealed record Backup(string Status, long Objects, int ConfigMaps, double Seconds, string? Problem);
}
