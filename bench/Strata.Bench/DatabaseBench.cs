using System.Globalization;
using System.Text;
using Strata.TestKit;
using Strata.TestKit.Databases;

/// <summary>
/// Dumping a PostgreSQL 15 database, Strata against plain <c>pg_dump</c>, in the same run. A throwaway server
/// (<see cref="PostgresServer"/>) gets a generated database of each size (<see cref="GeneratedDatabase"/>); a sandbox
/// API server has a pod bound to it (<see cref="PostgresPod"/>), and strata.yaml policies on the same database:
/// <c>direct</c> (pg_dump on this host) and <c>exec</c> (pg_dump in the pod, through <c>pods/exec</c> over WebSocket).
/// Each round runs, in a rotating order: <c>pg_dump -Fc -f FILE DB</c>; <c>strata backup create --policy direct</c> into
/// a local store and into Azurite; <c>strata backup create --policy exec</c> into a local store (<see cref="DatabaseRuns"/>).
/// Then the exec path's own ceiling: an application dump that <c>cat</c>s the first plain dump in the pod. Then,
/// alternating, <c>pg_restore -d SCRATCH FILE</c> and <c>strata drill run</c> (restore into a scratch database, row
/// counts checked against the dump, dropped). Azurite is <c>$STRATA_BENCH_STORAGE</c> or one started here.
/// </summary>
internal static class DatabaseBench
{
    private const string PgDump = "pg_dump -Fc -f", Local = "Strata → local store (direct)", Blob = "Strata → Azurite (direct)", ExecLocal = "Strata → local store (exec)";

    public static async Task<string> RunAsync(string strata, IReadOnlyList<string> sizes, int rounds)
    {
        var server = new PostgresServer();
        AzuriteFixture? azurite = null;
        try
        {
            await server.InitializeAsync();
            var blob = Environment.GetEnvironmentVariable("STRATA_BENCH_STORAGE");
            if (string.IsNullOrEmpty(blob))
            {
                azurite = new AzuriteFixture();
                await azurite.InitializeAsync();
                blob = azurite.ConnectionString;
            }

            var dumps = new StringBuilder(DatabaseTables.DumpHeader);
            var exec = new StringBuilder(DatabaseTables.ExecHeader);
            var drills = new StringBuilder(DatabaseTables.DrillHeader);
            Console.Error.WriteLine($"load (1 min) before the run: {Figures.Load()}");
            foreach (var size in sizes)
            {
                await MeasureAsync(strata, server, blob, size, rounds, dumps, exec, drills);
            }

            return $"{dumps}\n{exec}\n{drills}";
        }
        finally
        {
            await server.DisposeAsync();
            await (azurite?.DisposeAsync() ?? Task.CompletedTask);
        }
    }

    private static async Task MeasureAsync(string strata, PostgresServer server, string blob, string size, int rounds, StringBuilder dumps, StringBuilder exec, StringBuilder drills)
    {
        var name = "bench_" + size.ToLowerInvariant().Replace('.', '_');
        var (bytes, rows) = await GeneratedDatabase.CreateAsync(server, name, ParseSize(size));
        var folder = Directory.CreateTempSubdirectory("strata-db-bench-");
        await using var world = await ControlPlaneWorld.StartAsync(Policies(server, name, DatabaseRuns.ChannelFile(folder.FullName)));
        PostgresPod.Create(world.Prod, server, "db", "postgres-0");
        world.Variables["PG_PASSWORD"] = server.Password;
        try
        {
            var runs = new DatabaseRuns(strata, server, world, name, folder.FullName);
            var database = string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:N0} MB ({rows / 1e6:0.0} M rows)");
            var (results, loads) = await DumpRoundsAsync(runs, blob, size, rounds);
            foreach (var (tool, runsOfTool) in results)
            {
                dumps.AppendLine(DatabaseTables.DumpRow(database, tool, runsOfTool, results[PgDump]));
            }

            dumps.AppendLine($"| | load (1 min) after each round | {string.Join(", ", loads)} | | | | | | | | | |");
            var channel = new List<DumpRun>();
            for (var round = 0; round < rounds; round++)
            {
                channel.Add(await runs.StrataAsync(DatabaseRuns.Channel, round));
                Console.Error.WriteLine(DatabaseTables.Line(size, round, "cat of the dump through pods/exec", channel[^1]));
            }

            exec.AppendLine(DatabaseTables.ExecRow(database, results[Local], results[ExecLocal], channel));
            drills.AppendLine(await RestoreRoundsAsync(runs, database, size, rounds));
        }
        finally
        {
            folder.Delete(recursive: true);
            await server.DropDatabaseAsync(name);
        }
    }

    /// <summary>The dumps, each tool once a round, in an order that rotates: the runs by tool (in the table's order), and the load after each round.</summary>
    private static async Task<(Dictionary<string, List<DumpRun>> Results, List<string> Loads)> DumpRoundsAsync(DatabaseRuns runs, string blob, string size, int rounds)
    {
        var tools = new (string Name, Func<int, Task<DumpRun>> Run)[]
        {
            (PgDump, runs.PgDumpAsync),
            (Local, r => runs.StrataAsync(DatabaseRuns.Direct, r)),
            (Blob, r => runs.StrataAsync(DatabaseRuns.Direct, r, blob)),
            (ExecLocal, r => runs.StrataAsync(DatabaseRuns.Exec, r)),
        };
        var results = tools.ToDictionary(t => t.Name, _ => new List<DumpRun>());
        var loads = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            // Rotate who goes first, so that none always follows the same neighbour's page cache and CPU state.
            foreach (var (tool, run) in tools.Skip(round % tools.Length).Concat(tools.Take(round % tools.Length)))
            {
                results[tool].Add(await run(round));
                Console.Error.WriteLine(DatabaseTables.Line(size, round, tool, results[tool][^1]));
            }

            loads.Add(Figures.Load());
        }

        return (results, loads);
    }

    /// <summary>Plain pg_restore and Strata's drill, alternating which goes first: the table's row.</summary>
    private static async Task<string> RestoreRoundsAsync(DatabaseRuns runs, string database, string size, int rounds)
    {
        var plain = new List<RestoreRun>();
        var drilled = new List<RestoreRun>();
        var loads = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                plain.Add(await runs.PgRestoreAsync(round));
                drilled.Add(await runs.DrillAsync());
            }
            else
            {
                drilled.Add(await runs.DrillAsync());
                plain.Add(await runs.PgRestoreAsync(round));
            }

            loads.Add(Figures.Load());
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size} restore round {round + 1}: pg_restore {plain[^1].RestoreSeconds:0.00} s; strata drill restore {drilled[^1].RestoreSeconds:0.00} s, RTO {drilled[^1].RtoSeconds:0.00} s, process {drilled[^1].Process.Seconds:0.00} s, {drilled[^1].Process.PeakRssMiB:0} MiB; load {loads[^1]}"));
        }

        return DatabaseTables.DrillRow(database, plain, drilled, loads);
    }

    /// <summary>Decimal sizes: <c>100MB</c> is 100,000,000 bytes, <c>1GB</c> 10⁹.</summary>
    internal static long ParseSize(string text)
    {
        var unit = text.TrimEnd().ToUpperInvariant() switch
        {
            var t when t.EndsWith("GB", StringComparison.Ordinal) => 1e9,
            var t when t.EndsWith("MB", StringComparison.Ordinal) => 1e6,
            _ => throw new ArgumentException($"'{text}' is not a size such as 100MB or 1GB"),
        };
        return (long)(double.Parse(text.Trim()[..^2], CultureInfo.InvariantCulture) * unit);
    }

    private static string Policies(PostgresServer server, string database, string channelFile) => string.Create(CultureInfo.InvariantCulture, $$"""
          - name: {{DatabaseRuns.Direct}}
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [db] }
            databases:
              - name: bench
                executor: direct
                host: {{server.Host}}
                port: {{server.Port}}
                user: {{server.User}}
                password: { env: PG_PASSWORD }
                databases: [{{database}}]
                drill:
                  queries:
                    - { equalsBackup: true }
            verification:
              drill: { readiness: false, timeout: 30m }
          - name: {{DatabaseRuns.Exec}}
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [db] }
            databases:
              - name: bench
                namespace: db
                pod: postgres-0
                container: postgres
                passwordSecret: { name: {{PostgresPod.Secret}}, key: password }
                databases: [{{database}}]
          - name: {{DatabaseRuns.Channel}}
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [db] }
            applications:
              - name: dump-file
                namespace: db
                pod: postgres-0
                container: postgres
                command: [cat, {{channelFile}}]
        """);
}
