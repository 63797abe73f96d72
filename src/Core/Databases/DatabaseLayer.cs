using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Commands;
using Strata.Core.Results;

namespace Strata.Core.Databases;

/// <summary>
/// The databases layer: for each target of the policy, one dump per database (PostgreSQL: <c>pg_dump -Fc</c>, and
/// <c>pg_dumpall --globals-only</c> with <c>allDatabases</c>), each streamed from the tool's stdout into the store
/// with its SHA-256 and read on the way (<see cref="DumpStream"/>). A dump is committed only when its tool exited 0;
/// a tool that failed, a stream that dropped, a target that cannot be reached is an error of that item with the
/// tool's own words, and the other dumps and layers go on. Targets run one after another, each under its timeout.
/// </summary>
public sealed class DatabaseLayer(IReadOnlyList<DatabaseTarget> targets, DatabaseConnector connector, DumpReaders? readers = null) : IBackupLayer
{
    /// <summary>The resource name problems of this layer carry.</summary>
    public const string Resource = "databases";

    private readonly DumpReaders _readers = readers ?? DumpReaders.Default;

    /// <inheritdoc />
    public string Name => Resource;

    /// <inheritdoc />
    public async Task<LayerCapture> CaptureAsync(LayerContext context, CancellationToken cancellationToken = default)
    {
        var committed = new List<DatabaseDump>();
        foreach (var target in targets)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(target.Timeout);
            try
            {
                await CaptureTargetAsync(context, target, committed, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The dumps committed before the timeout stay listed: they are whole, and the store keeps them.
                context.Result.Error($"the dumps of {target.Qualified} took longer than their timeout ({target.Timeout}) and were stopped", Resource, target.Namespace, target.Name, ProblemReasons.Timeout);
            }
        }

        return new LayerCapture([.. committed.Select(d => new ArtifactEntry(d.Path, d.Size, d.Sha256))]) { Databases = committed };
    }

    private async Task CaptureTargetAsync(LayerContext context, DatabaseTarget target, List<DatabaseDump> committed, CancellationToken cancellationToken)
    {
        ConnectedDatabase database;
        IReadOnlyList<string> names;
        try
        {
            database = await connector.ConnectAsync(target, cancellationToken);
            names = target.AllDatabases ? await ListDatabasesAsync(database, cancellationToken) : target.Databases;
        }
        catch (DatabaseTargetException e)
        {
            context.Result.Error(e.Message, Resource, target.Namespace, target.Name, ProblemReasons.DatabaseUnreachable);
            return;
        }

        // The tools are stopped inside the pod at the target's deadline too: a cancelled exec leaves its process running there.
        var limit = target.Timeout;
        if (target.AllDatabases && target.Engine == DatabaseEngine.PostgreSql)
        {
            var globals = ArtifactLayout.DatabaseDumpPath(target.Namespace, target.Name, "globals", ".sql");
            Add(await DumpAsync(context, database, null, PostgresTools.DumpGlobals(target, database.Password) with { TimeLimit = limit }, globals, null, cancellationToken));
        }

        foreach (var name in names)
        {
            var path = ArtifactLayout.DatabaseDumpPath(target.Namespace, target.Name, name, DumpTools.Extension(target.Engine));
            Add(await DumpAsync(context, database, name, DumpTools.Dump(target, name, database.Password) with { TimeLimit = limit }, path, _readers.For(target.Engine), cancellationToken));
        }

        void Add(DatabaseDump? dump)
        {
            if (dump is not null)
            {
                committed.Add(dump);
            }
        }
    }

    private static async Task<IReadOnlyList<string>> ListDatabasesAsync(ConnectedDatabase database, CancellationToken cancellationToken)
    {
        var (exit, output) = await ToolOutput.RunAsync(database.Executor, DumpTools.ListDatabases(database.Target, database.Password), cancellationToken);
        // A drill's scratch database is never dumped as data (a drill running beside the backup drops it mid-dump).
        return exit.Succeeded
            ? [.. (database.Target.Engine == DatabaseEngine.PostgreSql ? PostgresTools.ParseLines(output) : MySqlTools.UserDatabases(output))
                .Where(name => !name.StartsWith(DatabaseDrill.ScratchPrefix, StringComparison.Ordinal))]
            : throw new DatabaseTargetException($"database target {database.Target.Qualified}: listing its databases failed ({database.Executor.Where}): {exit.Describe()}");
    }

    private async Task<DatabaseDump?> DumpAsync(
        LayerContext context, ConnectedDatabase database, string? name, DatabaseCommand command, string path, IDumpReader? reader, CancellationToken cancellationToken)
    {
        var target = database.Target;
        var startedAt = context.Time.GetUtcNow();
        var started = context.Time.GetTimestamp();
        var what = name is null ? $"the globals of {target.Qualified}" : $"database {name} of {target.Qualified}";
        await using var upload = await context.Store.CreateAsync(ArtifactLayout.ArtifactKey(context.BackupPrefix, path), cancellationToken);
        var dump = new DumpStream(upload.Content, reader);
        var exit = await database.Executor.RunAsync(command, new CommandStreams(Stdout: (stdout, ct) => dump.CopyAsync(stdout, bytes =>
            context.Progress?.Report(new BackupProgress(0, 0, 0, bytes, $"{target.Qualified}/{name ?? "globals"}", Resource)), ct)), cancellationToken);
        var (reading, unreadable) = await dump.ReadingAsync();
        var problem = !exit.Succeeded ? ToolFailure.Describe(command, exit, database.Executor)
            : dump.Size == 0 ? $"{command.Program} exited 0 but wrote nothing"
            : unreadable is not null && reader is not null ? $"{command.Program} exited 0, but what it wrote is not a whole dump: {unreadable}"
            : null;
        if (problem is not null)
        {
            // Not committed: a dump that did not end well (or was cut short on its way, as an exec stream can be with
            // exit status 0) never passes for one.
            var reason = exit.ProgramMissing ? ProblemReasons.ToolMissing : exit.Succeeded && unreadable is not null ? ProblemReasons.DumpUnreadable : ProblemReasons.DumpFailed;
            context.Result.Error($"{what}: {problem}", Resource, target.Namespace, $"{target.Name}/{name ?? "globals"}", reason);
            return null;
        }

        await upload.CommitAsync(cancellationToken);
        return new DatabaseDump
        {
            Target = target.Name,
            Engine = target.Engine,
            Namespace = target.Namespace,
            Database = name,
            Path = path,
            Size = dump.Size,
            Sha256 = dump.Sha256,
            RanIn = database.Executor.Where,
            StartedAt = startedAt,
            Duration = context.Time.GetElapsedTime(started),
            ServerVersion = reading?.ServerVersion,
            ToolVersion = reading?.ToolVersion,
            Contents = reading?.Contents,
        };
    }
}
