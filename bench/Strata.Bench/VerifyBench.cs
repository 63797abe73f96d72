using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Sandbox;

/// <summary>
/// Verification speed against its floor. One backup of N seeded objects (<see cref="Seeder"/>) is
/// written into a fresh local store by `strata backup create`; then, alternating which goes first,
/// rounds of `strata backup verify ID --store DIR` (its own process under /usr/bin/time) and of the
/// floor, `sha256sum resources.tar.gz &amp;&amp; tar xzf resources.tar.gz -C DIR` (one shell under
/// /usr/bin/time): the least any tool must do to hash the artifact and unpack every entry. Both read
/// the archive warm from the page cache. Every round extracts into a fresh folder, and the extracted
/// trees are deleted only once every size has been measured: ext4 without a journal (this machine's
/// disk) will not reuse an inode freed in the last 60 s — 360 s while its inode-table block is
/// dirty — and scans past every such inode on each file it creates, so a tar xzf started soon after
/// deleting the previous round's 100,000 files took up to 28 times as long (138 s against 5 s), nearly
/// all of it system time in the inode allocator (recently_deleted, seen with perf). The deletion is
/// not what is measured (docs/benchmarks.md).
/// A second, stricter reference does the same work without creating files:
/// `sha256sum resources.tar.gz &amp;&amp; tar xzOf resources.tar.gz &gt; /dev/null` (hash, inflate, walk every entry).
/// </summary>
internal static class VerifyBench
{
    /// <summary>
    /// One table row per size. The store goes in <paramref name="dir"/>, the floor's trees in <paramref name="extractInto"/>;
    /// the caller deletes both at the end.
    /// </summary>
    public static async Task<string> RunAsync(string strata, int size, int rounds, DirectoryInfo dir, DirectoryInfo extractInto)
    {
        var store = Path.Combine(dir.FullName, "store");
        var (id, objects, archive, sha256) = await BackUpAsync(strata, size, dir.FullName, store);
        var bytes = new FileInfo(archive).Length;
        Console.Error.WriteLine($"backup {id}: {objects:N0} objects, {bytes / 1048576.0:0.0} MiB; load {Figures.Load()}");

        var verify = new List<Timed>();
        var floor = new List<Timed>();
        var inflate = new List<Timed>();
        var loads = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which goes first, so that neither always follows the other's page-cache and CPU state.
            if (round % 2 == 0)
            {
                verify.Add(await VerifyAsync(strata, id, store));
                floor.Add(await FloorAsync(archive, sha256, extractInto.FullName));
                inflate.Add(await InflateAsync(archive, sha256));
            }
            else
            {
                inflate.Add(await InflateAsync(archive, sha256));
                floor.Add(await FloorAsync(archive, sha256, extractInto.FullName));
                verify.Add(await VerifyAsync(strata, id, store));
            }

            loads.Add(Figures.Load());
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: strata verify {verify[^1].Seconds:0.00} s ({verify[^1].PeakRssMiB:0} MiB), floor {floor[^1].Seconds:0.00} s, no files {inflate[^1].Seconds:0.00} s; load {loads[^1]}"));
        }

        var verifyMedian = Figures.Median(verify.Select(t => t.Seconds));
        var floorMedian = Figures.Median(floor.Select(t => t.Seconds));
        var inflateMedian = Figures.Median(inflate.Select(t => t.Seconds));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {objects:N0} | {bytes / 1048576.0:0.0} MiB | {Figures.Runs(verify.Select(t => t.Seconds))} | {verifyMedian:0.00} s | {verify.Min(t => t.PeakRssMiB):0}–{verify.Max(t => t.PeakRssMiB):0} MiB | {Figures.Runs(floor.Select(t => t.Seconds))} | {floorMedian:0.00} s | **{verifyMedian / floorMedian:0.00}×** | {Figures.Runs(inflate.Select(t => t.Seconds))} | {inflateMedian:0.00} s | {verifyMedian / inflateMedian:0.00}× | {string.Join(", ", loads)} |");
    }

    public const string Header = """
        | objects | archive | strata verify (runs) | median | peak RSS | floor: sha256sum + tar xzf (runs) | median | strata ÷ floor | no files: sha256sum + tar xzOf (runs) | median | strata ÷ no files | load (1 min) after each round |
        |---:|---:|---|---:|---:|---|---:|---:|---|---:|---:|---|
        """;

    private static async Task<(string Id, long Objects, string Archive, string Sha256)> BackUpAsync(string strata, int size, string dir, string store)
    {
        await using var server = await SandboxApiServer.StartAsync();
        var seeded = Seeder.Seed(server, size);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig("bench"));
        var backup = await Timed.RunAsync(strata, ["backup", "create", "--kubeconfig", kubeconfig, "--store", store, "-o", "json"]);
        var result = JsonNode.Parse(backup.Stdout)!;
        var artifact = result["artifacts"]!.AsArray().Single(a => a!["path"]!.GetValue<string>() == "resources.tar.gz")!;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {seeded:N0}, backed up in {backup.Seconds:0.00} s"));
        return (result["id"]!.GetValue<string>(), result["objectCount"]!.GetValue<long>(),
            Path.Combine(store, artifact["key"]!.GetValue<string>()), artifact["sha256"]!.GetValue<string>());
    }

    private static async Task<Timed> VerifyAsync(string strata, string id, string store)
    {
        var run = await Timed.RunAsync(strata, ["backup", "verify", id, "--store", store]);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"strata backup verify exited {run.ExitCode}: {run.Stdout}{run.Stderr}");
        }

        return run;
    }

    private static async Task<Timed> FloorAsync(string archive, string sha256, string dir)
    {
        var target = Directory.CreateDirectory(Path.Combine(dir, $"extracted-{Guid.NewGuid():N}")).FullName;
        var run = await Timed.RunAsync("/bin/sh", ["-c", "sha256sum \"$1\" && tar xzf \"$1\" -C \"$2\"", "floor", archive, target]);
        if (run.ExitCode != 0 || !run.Stdout.StartsWith(sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"the floor failed (exit {run.ExitCode}): {run.Stdout}{run.Stderr}");
        }

        // tar leaves what it wrote as dirty pages; write them out untimed, so that
        // the next command does not pay for this one's writeback.
        await Timed.RunAsync("sync", []);
        return run;
    }

    private static async Task<Timed> InflateAsync(string archive, string sha256)
    {
        var run = await Timed.RunAsync("/bin/sh", ["-c", "sha256sum \"$1\" && tar xzOf \"$1\" > /dev/null", "no-files", archive]);
        if (run.ExitCode != 0 || !run.Stdout.StartsWith(sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"sha256sum + tar xzOf failed (exit {run.ExitCode}): {run.Stdout}{run.Stderr}");
        }

        return run;
    }
}
