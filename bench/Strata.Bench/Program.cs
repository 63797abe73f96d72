using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Sandbox;

// Backup throughput and memory, side by side with kubectl, against one sandbox API server.
//   strata-bench --strata PATH [--objects 10000,100000] [--kubectl kubectl] [--no-kubectl]
// Each size: seed a fresh sandbox, run `strata backup create` as its own process under
// /usr/bin/time (wall time, peak RSS), then kubectl's discovery + `get <every listable type> -A -o json`.
// Restore throughput: strata-bench --strata PATH --restore-secrets 30000 [--no-kubectl]
// Verification against sha256sum + tar xzf: strata-bench --strata PATH --verify 10000,100000 [--rounds 3] [--floor-dir DIR (where tar extracts; default: the temp folder)]
// Blob transfer: strata-bench --blob-gb 2   (Azurite as the tests find it: $STRATA_AZURITE or .tools/azurite)
// Control plane: strata-bench --schedule-tick 200x20 [--handler PATH_TO_PUBLISHED_Strata.Functions]
// Alert latency: strata-bench --alert-latency 7   (strata run's runner, a partial backup, a PagerDuty-shaped HTTPS sink)
// PostgreSQL dumps against pg_dump, and drills against pg_restore: strata-bench --strata PATH --databases 100MB,1GB [--rounds 3]
// Volume snapshots, concurrently and beside the objects, against kubectl create + wait: strata-bench --volumes 50 [--objects 10000] [--snapshot-seconds 2] [--rounds 3]
// etcd snapshots against etcdctl snapshot save, and the rebuild drill's RTO: strata-bench --strata PATH --etcd-mb 200 [--rounds 3]
// Client-side encryption's cost, each variant alternating: strata-bench --strata PATH --encryption-objects 100000 [--rounds 3]
//   strata-bench --strata PATH --encryption-dump 1GB [--rounds 3]   (with pg_dump -Fc for reference)
//   strata-bench --encryption-micro 1024 [--rounds 5]   (MiB through the chunked streams in memory, and the Secret-value cipher)
// An API server down mid-list, ridden out and past the outage budget: strata-bench --strata PATH --outage 20000 [--down 60] [--short-budget 20]
// What the verifier's duplicate-path check holds per archive entry: strata-bench --path-set 100025,1000025
// strata serve's page, /status and /metrics over a long run history, against jq over the same files: strata-bench --strata PATH --status-history 10000,100000 [--rounds 3] [--jq jq]
if (Arg("--alert-latency") is { } alertRounds)
{
    Console.WriteLine("| rounds | run ended → trigger at the sink | median | request → trigger (backup included) | median |");
    Console.WriteLine("|---:|---|---:|---|---:|");
    Console.WriteLine(await AlertLatencyBench.RunAsync(int.Parse(alertRounds, CultureInfo.InvariantCulture)));
    return 0;
}

if (Arg("--schedule-tick") is { } shape)
{
    var parts = shape.Split('x');
    Console.WriteLine("| clusters × policies | messages | decide + serialise | JSON | parse strata.yaml |");
    Console.WriteLine("|---:|---:|---:|---:|---:|");
    for (var run = 0; run < 3; run++)
    {
        Console.WriteLine(await ControlPlaneBench.ScheduleTickAsync(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture)));
    }

    if (Arg("--handler") is { } handler)
    {
        Console.WriteLine();
        Console.WriteLine("| starts | median to first answer | fastest | slowest |");
        Console.WriteLine("|---:|---:|---:|---:|");
        Console.WriteLine(await ControlPlaneBench.HandlerReadyAsync(handler, 7));
    }

    return 0;
}

if (Arg("--volumes") is { } volumeClaims)
{
    Console.WriteLine(VolumeBench.Header);
    Console.WriteLine(await VolumeBench.RunAsync(
        int.Parse(volumeClaims, CultureInfo.InvariantCulture), int.Parse(Arg("--objects") ?? "10000", CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(Arg("--snapshot-seconds") ?? "2", CultureInfo.InvariantCulture)), int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture)));
    return 0;
}

if (Arg("--blob-gb") is { } gigabytes)
{
    var row = await BlobBench.RunAsync((long)(double.Parse(gigabytes, CultureInfo.InvariantCulture) * 1e9));
    Console.WriteLine("| artifact | upload | upload peak RSS | download | download peak RSS | cp floor (same disk) | check |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---|");
    Console.WriteLine(row);
    return 0;
}

if (Arg("--path-set") is { } pathSetSizes)
{
    Console.WriteLine(PathSetBench.Run(pathSetSizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))));
    return 0;
}

if (Arg("--encryption-micro") is { } microMiB)
{
    Console.WriteLine(EncryptionBench.Micro(long.Parse(microMiB, CultureInfo.InvariantCulture) << 20, int.Parse(Arg("--rounds") ?? "5", CultureInfo.InvariantCulture)));
    return 0;
}

var strata = Arg("--strata") ?? throw new ArgumentException("--strata PATH (a published strata executable) is required");
var kubectl = Arg("--kubectl") ?? "kubectl";
if (Arg("--etcd-mb") is { } etcdMegabytes)
{
    Console.WriteLine(await EtcdBench.RunAsync(strata, int.Parse(etcdMegabytes, CultureInfo.InvariantCulture), int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture)));
    return 0;
}

if (Arg("--outage") is { } outageConfigMaps)
{
    var outageRows = await OutageBench.RunAsync(
        strata, int.Parse(outageConfigMaps, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(Arg("--down") ?? "60", CultureInfo.InvariantCulture)),
        int.Parse(Arg("--short-budget") ?? "20", CultureInfo.InvariantCulture));
    Console.WriteLine(OutageBench.Header);
    Console.WriteLine(outageRows);
    return 0;
}

if (Arg("--status-history") is { } historySizes)
{
    var rounds = int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture);
    var statusRows = new List<string>();
    foreach (var size in historySizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
    {
        statusRows.Add(await StatusBench.RunAsync(strata, size, rounds, Arg("--jq") ?? "jq"));
    }

    Console.WriteLine(StatusBench.Header);
    Console.WriteLine(StatusBench.Rule);
    statusRows.ForEach(Console.WriteLine);
    return 0;
}

if (Arg("--encryption-objects") is { } encryptionObjects)
{
    var objectRows = await EncryptionBench.ObjectsAsync(strata, int.Parse(encryptionObjects, CultureInfo.InvariantCulture), int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture));
    Console.WriteLine(EncryptionBench.ObjectsHeader);
    Console.WriteLine(objectRows);
    return 0;
}

if (Arg("--encryption-dump") is { } encryptionDump)
{
    var rounds = Math.Min(3, int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture));
    var dumpRows = await EncryptionBench.DumpAsync(strata, encryptionDump, rounds);
    Console.WriteLine(EncryptionBench.DumpHeader);
    Console.WriteLine(dumpRows);
    return 0;
}

if (Arg("--databases") is { } databaseSizes)
{
    Console.WriteLine(await DatabaseBench.RunAsync(strata, databaseSizes.Split(','), int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture)));
    return 0;
}

if (Arg("--restore-secrets") is { } restoreCount)
{
    var row = await RestoreBench.RunAsync(strata, kubectl, int.Parse(restoreCount, CultureInfo.InvariantCulture), !args.Contains("--no-kubectl"));
    Console.WriteLine("| secrets | strata created | failed | strata time | strata rate | strata peak RSS | kubectl created | kubectl time | kubectl rate | kubectl ÷ strata | kubectl peak RSS |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine(row);
    return 0;
}

if (Arg("--verify") is { } verifySizes)
{
    var rounds = int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture);
    var verifyRows = new List<string>();
    var verifyDir = Directory.CreateTempSubdirectory("strata-verify-bench-");
    var extractInto = Arg("--floor-dir") is { } floorDir
        ? Directory.CreateDirectory(Path.Combine(floorDir, $"strata-verify-floor-{Guid.NewGuid():N}"))
        : verifyDir.CreateSubdirectory("floor");
    foreach (var size in verifySizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
    {
        verifyRows.Add(await VerifyBench.RunAsync(strata, size, rounds, verifyDir.CreateSubdirectory(size.ToString(CultureInfo.InvariantCulture)), extractInto));
        Console.Error.WriteLine(verifyRows[^1]);
    }

    // Only now: see VerifyBench on deleting many files.
    extractInto.Delete(recursive: true);
    verifyDir.Delete(recursive: true);

    Console.WriteLine(VerifyBench.Header);
    verifyRows.ForEach(Console.WriteLine);
    return 0;
}

var sizes = (Arg("--objects") ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
var rows = new List<string>();
foreach (var size in sizes)
{
    await using var server = await SandboxApiServer.StartAsync();
    var seeding = Stopwatch.StartNew();
    var seeded = Seeder.Seed(server, size);
    Console.Error.WriteLine($"seeded {seeded:N0} objects in {seeding.Elapsed.TotalSeconds:0.0} s");
    var dir = Directory.CreateTempSubdirectory("strata-bench-");
    var kubeconfig = Path.Combine(dir.FullName, "kubeconfig");
    await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig("bench"));

    var run = await Timed.RunAsync(strata, ["backup", "create", "--kubeconfig", kubeconfig, "--store", Path.Combine(dir.FullName, "store"), "-o", "json"]);
    var result = JsonNode.Parse(run.Stdout)!;
    var objects = result["objectCount"]!.GetValue<long>();
    var archive = result["artifacts"]![0]!["size"]!.GetValue<long>();

    if (args.Contains("--no-kubectl"))
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"strata only: {objects:N0} objects in {run.Seconds:0.00} s, peak RSS {run.PeakRssMiB:0} MiB"));
        dir.Delete(recursive: true);
        continue;
    }

    var discovery = await Timed.RunAsync(kubectl, ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(dir.FullName, "kcache"), "api-resources", "--verbs=list", "-o", "name"]);
    var types = discovery.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var get = await Timed.RunAsync(kubectl, ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(dir.FullName, "kcache"), "get", string.Join(',', types), "-A", "-o", "json"]);
    var kubectlSeconds = discovery.Seconds + get.Seconds;
    var kubectlItems = JsonNode.Parse(get.Stdout)!["items"]!.AsArray().Count;

    rows.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {size:N0} | {objects:N0} | {run.Seconds:0.00} s | {objects / run.Seconds:N0} obj/s | {run.PeakRssMiB:0} MiB | {archive / 1048576.0:0.0} MiB | {kubectlItems:N0} | {kubectlSeconds:0.00} s | {kubectlSeconds / run.Seconds:0.0}× | {get.PeakRssMiB:0} MiB |"));
    Console.Error.WriteLine(rows[^1]);
    dir.Delete(recursive: true);
}

Console.WriteLine("| seeded | strata objects | strata time | strata rate | strata peak RSS | archive | kubectl items | kubectl time | kubectl ÷ strata | kubectl peak RSS |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
rows.ForEach(Console.WriteLine);
return 0;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
