using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Adapters.Hosting;
using Strata.Core.Artifacts;
using Strata.TestKit;
using Strata.TestKit.Databases;

/// <summary>One timed run of a dump tool: the process (wall, peak RSS, CPU), the dump phase within it, its verification, the dump's bytes.</summary>
internal sealed record DumpRun(Timed Process, double DumpSeconds, double VerifySeconds, long DumpBytes);

/// <summary>One timed restore: the process, the restore within it, and the recovery time (restore plus checks) a drill measured.</summary>
internal sealed record RestoreRun(Timed Process, double RestoreSeconds, double RtoSeconds);

/// <summary>
/// The commands <see cref="DatabaseBench"/> times, each as its own process under /usr/bin/time, as a user runs them:
/// plain <c>pg_dump -Fc -f FILE DB</c> and <c>pg_restore -d SCRATCH FILE</c>, and the published CLI's
/// <c>strata backup create --policy</c> and <c>strata drill run --policy</c> against the world's strata.yaml. After
/// each, a <c>sync</c> (untimed) writes out what it left dirty, so the next run does not pay for it.
/// </summary>
internal sealed class DatabaseRuns(string strata, PostgresServer server, ControlPlaneWorld world, string database, string folder)
{
    /// <summary>
    /// The policies: the target that runs pg_dump on this host; the one that runs it in the pod, through pods/exec; an
    /// application dump that runs <c>cat</c> of a finished dump (<see cref="ChannelFile"/>) in the pod, which measures
    /// what pods/exec and the store carry when no pg_dump sets the pace.
    /// </summary>
    public const string Direct = "direct", Exec = "exec", Channel = "channel";

    /// <summary>The file the <see cref="Channel"/> policy's <c>cat</c> reads, in the runs' <paramref name="folder"/>: a link to the first plain dump.</summary>
    public static string ChannelFile(string folder) => Path.Combine(folder, "channel.dump");

    private readonly Dictionary<string, string> _client = new(server.Environment()) { ["PGPASSWORD"] = server.Password };

    private Dictionary<string, string> Strata => new(world.Variables) { ["STRATA_HOME"] = Path.Combine(folder, "home") };

    /// <summary>The last file plain pg_dump wrote, and the last local store Strata's direct policy wrote: what the restores read.</summary>
    public (string? File, string? Store) Latest { get; private set; }

    public async Task<DumpRun> PgDumpAsync(int round)
    {
        var file = Path.Combine(folder, $"pg_dump-{round}.dump");
        var run = Checked(await Timed.RunAsync("pg_dump", ["-Fc", "-f", file, database], _client), "pg_dump");
        await SyncAsync();
        Latest = Latest with { File = file };
        if (!File.Exists(ChannelFile(folder)))
        {
            File.CreateSymbolicLink(ChannelFile(folder), file);
        }

        return new DumpRun(run, run.Seconds, 0, new FileInfo(file).Length);
    }

    /// <summary>
    /// <c>strata backup create --policy</c> into a fresh local folder, or into Azurite (<paramref name="blob"/>, a connection string) with the history in a
    /// local folder; with the world's strata.yaml, or <paramref name="config"/> (another file naming the same clusters).
    /// </summary>
    public async Task<DumpRun> StrataAsync(string policy, int round, string? blob = null, string? config = null)
    {
        var store = Path.Combine(folder, $"{policy}-{(blob is null ? "local" : "blob")}-{round}");
        string[] where = blob is null ? ["--store", store] : ["--store", blob, "--store-container", "bench", "--history", Path.Combine(store, "history")];
        var run = Checked(await Timed.RunAsync(strata, ["backup", "create", "--config", config ?? world.ConfigPath, "--policy", policy, "--cluster", "prod", .. where, "-o", "json"], Strata), "strata backup create");
        await SyncAsync();
        var record = JsonNode.Parse(run.Stdout)!;
        if (record["status"]!.GetValue<string>() != "Verified")
        {
            throw new InvalidOperationException($"strata backup create ended {record["status"]}: {run.Stdout}");
        }

        var location = StoreLocation.Resolve(blob ?? store, blob is null ? null : "bench", Path.Combine(store, "history"), _ => null, store);
        var manifest = (await ManifestFile.ReadAsync(location.Artifacts, record["location"]!.GetValue<string>()))!;
        var (duration, size) = manifest.Databases is [var dump] ? (dump.Duration, dump.Size) : (manifest.Applications!.Single().Duration, manifest.Applications!.Single().Size);
        var verification = record["verification"]!;
        var verifySeconds = (verification["completedAt"]!.GetValue<DateTimeOffset>() - verification["startedAt"]!.GetValue<DateTimeOffset>()).TotalSeconds;
        if (blob is null && policy == Direct)
        {
            Latest = Latest with { Store = store };
        }

        return new DumpRun(run, duration.TotalSeconds, verifySeconds, size);
    }

    /// <summary><c>pg_restore -d SCRATCH FILE</c> of the last plain dump into a database created (and afterwards dropped) untimed.</summary>
    public async Task<RestoreRun> PgRestoreAsync(int round)
    {
        var scratch = $"plain_restore_{round}";
        await server.CreateDatabaseAsync(scratch);
        var run = Checked(await Timed.RunAsync("pg_restore", ["-d", scratch, Latest.File!], _client), "pg_restore");
        await server.DropDatabaseAsync(scratch);
        await SyncAsync();
        return new RestoreRun(run, run.Seconds, run.Seconds);
    }

    /// <summary><c>strata drill run --policy direct</c> of the last verified backup in the last local store: restored into a scratch database, checked, dropped.</summary>
    public async Task<RestoreRun> DrillAsync()
    {
        var run = Checked(await Timed.RunAsync(strata, ["drill", "run", "--config", world.ConfigPath, "--policy", Direct, "--cluster", "prod", "--store", Latest.Store!, "-o", "json"], Strata), "strata drill run");
        await SyncAsync();
        var drilled = JsonNode.Parse(run.Stdout)!["databases"]!.AsArray().Single()!;
        if (!drilled["passed"]!.GetValue<bool>())
        {
            throw new InvalidOperationException($"the drill failed: {drilled.ToJsonString()}");
        }

        return new RestoreRun(run, drilled["restoreSeconds"]!.GetValue<double>(), drilled["rtoSeconds"]!.GetValue<double>());
    }

    private static Timed Checked(Timed run, string what) => run.ExitCode == 0 ? run
        : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{what} exited {run.ExitCode}: {run.Stderr}{run.Stdout}"));

    private static Task SyncAsync() => Timed.RunAsync("sync", []);
}
