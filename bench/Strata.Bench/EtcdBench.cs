using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Adapters.Etcd;
using Strata.Adapters.Hosting;
using Strata.Adapters.Secrets;
using Strata.Core.Artifacts;
using Strata.TestKit;
using Strata.TestKit.Etcd;

/// <summary>
/// etcd snapshots, Strata against <c>etcdctl snapshot save</c>, in the same run, and the rebuild drill's RTO. A throwaway
/// etcd (<see cref="EtcdServer"/>) holds one key per object of the sandbox's sample application, where kube-apiserver
/// would keep it, plus random (incompressible) 10 KB values until etcd's database (its Status dbSize) is the size asked for. Each round,
/// in an alternating order: <c>etcdctl snapshot save FILE</c>, and the published CLI's <c>strata backup create --policy
/// etcd</c> into a fresh local store (objects of one namespace, then the etcd layer, then verification of both), each its
/// own process under /usr/bin/time. The etcd layer's own time is the manifest's; the process's wall time and peak RSS
/// are the whole command's. Then <c>strata drill run</c> of the last backup (<c>mode: etcdRestore</c>) beside a plain
/// <c>etcdctl snapshot restore</c> of etcdctl's file.
/// </summary>
internal static class EtcdBench
{
    public const string Header =
        "| etcd database | etcdctl snapshot save | Strata etcd layer | layer ÷ etcdctl | strata backup create (objects + etcd + verify) | strata peak RSS | etcdctl peak RSS |\n"
        + "|---:|---|---|---:|---|---:|---:|";

    public const string DrillHeader =
        "| snapshot | etcdctl snapshot restore | Strata drill: download + check | restore | start | count + compare | RTO | strata peak RSS (own) | with the rebuilt etcd |\n"
        + "|---:|---|---|---|---|---|---|---:|---:|";

    private const string Policy = """
          - name: etcd
            clusters: [prod]
            schedule: "0 */6 * * *"
            scope: { includeNamespaces: [shop] }
            etcd: {}
            verification:
              drill: { mode: etcdRestore }
        """;

    private const int ValueBytes = 10 * 1024;

    public static async Task<string> RunAsync(string strata, int megabytes, int rounds)
    {
        var folder = Directory.CreateTempSubdirectory("strata-etcd-bench-");
        await using var etcd = await EtcdServer.StartAsync(name: "bench");
        await using var world = await ControlPlaneWorld.StartAsync(Policy);
        try
        {
            var environment = new Dictionary<string, string>(world.Variables) { ["STRATA_HOME"] = Path.Combine(folder.FullName, "home") };
            await FillAsync(strata, world, etcd, megabytes, folder.FullName, environment);
            Console.Error.WriteLine($"load (1 min) before the run: {Figures.Load()}");
            var plain = new List<Timed>();
            var strataRuns = new List<(Timed Process, double LayerSeconds, long Size, string Store)>();
            for (var round = 0; round < rounds; round++)
            {
                if (round % 2 == 0)
                {
                    plain.Add(await SaveAsync(etcd, folder.FullName, round));
                    strataRuns.Add(await BackupAsync(strata, world, folder.FullName, round, environment));
                }
                else
                {
                    strataRuns.Add(await BackupAsync(strata, world, folder.FullName, round, environment));
                    plain.Add(await SaveAsync(etcd, folder.FullName, round));
                }

                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: etcdctl {plain[^1].Seconds:0.00} s ({plain[^1].PeakRssMiB:0} MiB); strata layer {strataRuns[^1].LayerSeconds:0.00} s, process {strataRuns[^1].Process.Seconds:0.00} s ({strataRuns[^1].Process.PeakRssMiB:0} MiB); load {Figures.Load()}"));
            }

            var size = strataRuns[^1].Size;
            var saveMedian = Figures.Median(plain.Select(p => p.Seconds));
            var layerMedian = Figures.Median(strataRuns.Select(s => s.LayerSeconds));
            var table = new StringBuilder(Header).AppendLine().AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {size / 1e6:0} MB | {Figures.Runs(plain.Select(p => p.Seconds))} | {Figures.Runs(strataRuns.Select(s => s.LayerSeconds))} | {layerMedian / saveMedian:0.00}× "
                + $"| {Figures.Runs(strataRuns.Select(s => s.Process.Seconds))} | {strataRuns.Max(s => s.Process.PeakRssMiB):0} MiB | {plain.Max(p => p.PeakRssMiB):0} MiB |"));
            table.AppendLine().AppendLine(DrillHeader).AppendLine(await DrillAsync(strata, world, folder.FullName, strataRuns[^1].Store, size, environment));
            return table.ToString();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>One key per object the backup captures (from a backup of the same scope), then random values up to the size; names the etcd in strata.yaml.</summary>
    private static async Task FillAsync(string strata, ControlPlaneWorld world, EtcdServer etcd, int megabytes, string folder, Dictionary<string, string> environment)
    {
        var counting = Path.Combine(folder, "counting");
        var run = await Timed.RunAsync(strata, ["backup", "create", "--config", world.ConfigPath, "--policy", "etcd", "--cluster", "prod", "--store", counting, "-o", "json"], environment);
        var manifest = await ManifestAsync(counting, JsonNode.Parse(run.Stdout)!["location"]!.GetValue<string>());
        var objects = manifest.Counts.ByResource.SelectMany(c => Enumerable.Range(0, (int)c.Value).Select(i => KeyValuePair.Create(
            $"{SampleApplicationKeys.Prefix(c.Key)}shop/{c.Key}-{i}",
            Encoding.UTF8.GetBytes("{}"))));
        var started = TimeProvider.System.GetTimestamp();
        var written = await EtcdWriter.PutAsync(etcd.Endpoint, objects);
        await using var endpoints = await new GrpcEtcdConnector(new SecretResolver(_ => null)).ConnectAsync(etcd.Access);
        var target = (long)megabytes * 1_000_000;
        const int Batch = 2_000;
        for (var batch = 0; (await endpoints.Members[0].StatusAsync()).DbSize < target; batch++)
        {
            // Random values do not compress, and etcd's database grows with its pages, not with the bytes put: fill until it is the size asked for.
            written += await EtcdWriter.PutAsync(etcd.Endpoint, Enumerable.Range(batch * Batch, Batch)
                .Select(i => KeyValuePair.Create($"/registry/configmaps/bench/filler-{i:D6}", RandomNumberGenerator.GetBytes(ValueBytes))));
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled etcd with {written:N0} keys in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s"));
        var yaml = await File.ReadAllTextAsync(world.ConfigPath);
        await File.WriteAllTextAsync(world.ConfigPath, yaml.Replace("    tags: { env: prod }\n",
            $"    tags: {{ env: prod }}\n    etcd: {{ endpoints: [{etcd.Endpoint.GetLeftPart(UriPartial.Authority)}] }}\n", StringComparison.Ordinal));
    }

    private static async Task<Timed> SaveAsync(EtcdServer etcd, string folder, int round)
    {
        var file = Path.Combine(folder, $"etcdctl-{round}.db");
        var run = await Timed.RunAsync(EtcdTool.Etcdctl, ["--endpoints", etcd.Endpoint.GetLeftPart(UriPartial.Authority), "snapshot", "save", file],
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"etcdctl snapshot save failed: {run.Stderr}");
        }

        await SyncAsync();
        return run;
    }

    private static async Task<(Timed Process, double LayerSeconds, long Size, string Store)> BackupAsync(
        string strata, ControlPlaneWorld world, string folder, int round, Dictionary<string, string> environment)
    {
        var store = Path.Combine(folder, $"strata-{round}");
        var run = await Timed.RunAsync(strata, ["backup", "create", "--config", world.ConfigPath, "--policy", "etcd", "--cluster", "prod", "--store", store, "-o", "json"], environment);
        await SyncAsync();
        var record = JsonNode.Parse(run.Stdout)!;
        if (record["status"]!.GetValue<string>() != "Verified")
        {
            throw new InvalidOperationException($"strata backup create ended {record["status"]}: {run.Stdout}");
        }

        var snapshot = (await ManifestAsync(store, record["location"]!.GetValue<string>())).Etcd?.Snapshot
            ?? throw new InvalidOperationException($"the backup has no etcd snapshot: {run.Stdout}");
        return (run, snapshot.Duration.TotalSeconds, snapshot.Size, store);
    }

    /// <summary><c>strata drill run</c> of the last backup, and a plain <c>etcdctl snapshot restore</c> of etcdctl's own file for comparison.</summary>
    private static async Task<string> DrillAsync(string strata, ControlPlaneWorld world, string folder, string store, long size, Dictionary<string, string> environment)
    {
        var restored = Path.Combine(folder, "etcdctl-restored");
        var plain = await Timed.RunAsync(EtcdTool.Etcdctl,
            ["snapshot", "restore", Path.Combine(folder, "etcdctl-0.db"), "--data-dir", restored, "--name", "bench", "--initial-cluster", "bench=http://127.0.0.1:2380",
             "--initial-advertise-peer-urls", "http://127.0.0.1:2380"], new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });
        string[] arguments = ["drill", "run", "--config", world.ConfigPath, "--policy", "etcd", "--cluster", "prod", "--store", store, "-o", "json"];
        var own = await OwnPeakRssAsync(strata, arguments, environment);
        var drill = await Timed.RunAsync(strata, arguments, environment);
        var result = JsonNode.Parse(drill.Stdout)!;
        var etcd = result["etcd"] ?? throw new InvalidOperationException($"the drill has no etcd result: {drill.Stdout}");
        if (result["status"]!.GetValue<string>() != "Passed")
        {
            throw new InvalidOperationException($"the drill ended {result["status"]}: {drill.Stdout}");
        }

        string Seconds(string name) => string.Create(CultureInfo.InvariantCulture, $"{etcd[name]!.GetValue<double>():0.00} s");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {size / 1e6:0} MB | {plain.Seconds:0.00} s | {Seconds("downloadSeconds")} | {Seconds("restoreSeconds")} | {Seconds("startSeconds")} | {Seconds("checkSeconds")} | {Seconds("rtoSeconds")} | {own:0} MiB | {drill.PeakRssMiB:0} MiB |");
    }

    /// <summary>
    /// The peak RSS of the strata process alone (<c>VmHWM</c>, read until it exits): /usr/bin/time's figure also counts the
    /// children it waited for — the restore tool and the rebuilt etcd, which maps its whole database.
    /// </summary>
    private static async Task<double> OwnPeakRssAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var peakKiB = 0L;
        while (!process.HasExited)
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                peakKiB = Math.Max(peakKiB, line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // It exited between the check and the read.
            }

            await Task.Delay(20);
        }

        await Task.WhenAll(output, errors);
        return peakKiB / 1024.0;
    }

    private static async Task<BackupManifest> ManifestAsync(string store, string location) =>
        (await ManifestFile.ReadAsync(StoreLocation.Resolve(store, null, null, _ => null, store).Artifacts, location))!;

    private static async Task SyncAsync() => await Timed.RunAsync("sync", []);
}
