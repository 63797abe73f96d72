using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Core.Databases;

/// <summary>
/// A database drill: each dump of a verified backup restored into a scratch database on its drill server — the target's
/// own server, or the one its <c>drill.server</c> names — as <c>strata_drill_{short id}</c> (marked as Strata's), the
/// target's drill queries run there, the recovery time measured from the restore's start to the last query passing,
/// and the scratch database dropped (kept on failure when asked). A database of that name that Strata did not mark is
/// never touched: the drill fails instead.
/// </summary>
/// <param name="connectors">
/// Readies servers on the cluster a server is reached through: given null, the target's own server (the backup's
/// cluster); given a <see cref="DatabaseDrillServer"/>, the cluster it is on (<see cref="DatabaseDrillServer.ClusterFor"/>).
/// </param>
/// <param name="store">The backup's artifacts.</param>
/// <param name="time">Measures the restore and the RTO.</param>
public sealed class DatabaseDrill(Func<DatabaseDrillServer?, CancellationToken, Task<DatabaseConnector>> connectors, IArtifactStore store, TimeProvider time)
{
    /// <summary>A drill whose servers are all reached through <paramref name="connector"/> (one cluster).</summary>
    public DatabaseDrill(DatabaseConnector connector, IArtifactStore store, TimeProvider time)
        : this((_, _) => Task.FromResult(connector), store, time)
    {
    }

    /// <summary>The prefix of scratch database names.</summary>
    public const string ScratchPrefix = "strata_drill_";

    /// <summary>Drills every dump <paramref name="manifest"/> holds of <paramref name="targets"/>.</summary>
    public async Task<IReadOnlyList<DatabaseDrillResult>> RunAsync(
        BackupManifest manifest, string backupPrefix, IReadOnlyList<DatabaseTarget> targets, string drillId, string shortId, bool keepOnFailure,
        CancellationToken cancellationToken = default)
    {
        var results = new List<DatabaseDrillResult>();
        foreach (var target in targets)
        {
            var dumps = (manifest.Databases ?? []).Where(d => d.Target == target.Name && d.Database is not null).ToList();
            var expected = target.AllDatabases ? dumps.Select(d => d.Database!) : target.Databases;
            foreach (var missing in expected.Where(name => dumps.All(d => d.Database != name)))
            {
                results.Add(Failed(target, missing, "", $"backup {manifest.BackupId} holds no dump of it (its dump failed)"));
            }

            if (dumps.Count == 0)
            {
                continue;
            }

            DatabaseSession session;
            try
            {
                var server = target.DrillServer is { } drillServer ? drillServer.Serving(target) : target;
                var connector = await connectors(target.DrillServer, cancellationToken);
                session = DatabaseSession.For(await connector.ConnectAsync(server, cancellationToken));
            }
            catch (DatabaseTargetException e)
            {
                results.AddRange(dumps.Select(d => Failed(target, d.Database!, "", e.Message)));
                continue;
            }

            foreach (var dump in dumps)
            {
                var scratch = results.Count == 0 ? ScratchPrefix + shortId : $"{ScratchPrefix}{shortId}_{results.Count + 1}";
                results.Add(await DrillAsync(session, backupPrefix, target, dump, scratch, $"drill {drillId} of backup {manifest.BackupId}", keepOnFailure, cancellationToken));
            }
        }

        return results;
    }

    private async Task<DatabaseDrillResult> DrillAsync(
        DatabaseSession session, string backupPrefix, DatabaseTarget target, DatabaseDump dump, string scratch, string note, bool keepOnFailure, CancellationToken cancellationToken)
    {
        var database = dump.Database!;
        var start = time.GetTimestamp();
        double? restoreSeconds = null;
        var queries = new List<DrillQueryResult>();
        string? error = null;
        var ours = false;
        try
        {
            var (exists, isScratch) = await session.FindAsync(scratch, cancellationToken);
            if (exists && !isScratch)
            {
                return Failed(target, database, scratch, $"database {scratch} exists on {session.Database} and is not a Strata scratch database: the drill leaves it alone");
            }

            if (exists)
            {
                await session.DropAsync(scratch, cancellationToken); // a scratch database an earlier drill of this id left
            }

            await session.CreateAsync(scratch, note, cancellationToken);
            ours = true;
            await DumpRestore.StreamAsync(session, store, backupPrefix, dump, scratch, clean: false, scratch: true, cancellationToken);
            restoreSeconds = time.GetElapsedTime(start).TotalSeconds;
            foreach (var query in target.DrillQueries.Where(q => q.Database == database || (q.Database is null && target.Databases.Count <= 1)))
            {
                queries.Add(await CheckAsync(session, scratch, dump, query, cancellationToken));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong (the server, the store, a reply Strata could not read) fails this database's drill: never the drill's record.
            error = e is DatabaseTargetException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        }

        var passed = error is null && queries.All(q => q.Passed);
        var rto = passed ? time.GetElapsedTime(start).TotalSeconds : (double?)null;
        error ??= passed ? null : $"{queries.Count(q => !q.Passed)} of {queries.Count} queries failed";
        var dropped = false;
        if (ours && (passed || !keepOnFailure))
        {
            // Only a database this drill created (and marked) is dropped.
            try
            {
                await session.DropAsync(scratch, CancellationToken.None);
                dropped = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = (error is null ? "" : error + "; ") + $"the scratch database could not be dropped: {e.Message}";
                passed = false;
            }
        }

        return new DatabaseDrillResult
        {
            Target = target.Name,
            Database = database,
            Scratch = scratch,
            RanIn = session.Database.ToString(),
            Passed = passed,
            RestoreSeconds = restoreSeconds,
            RtoSeconds = passed ? rto : null,
            Queries = queries,
            Error = error,
            Dropped = dropped,
        };
    }

    private static async Task<DrillQueryResult> CheckAsync(DatabaseSession session, string scratch, DatabaseDump dump, DrillQuery query, CancellationToken cancellationToken)
    {
        if (!query.EqualsBackup)
        {
            var value = await session.QueryValueAsync(scratch, query.Sql!, cancellationToken);
            return new DrillQueryResult(query.Describe(), value ?? "(no row)", query.Expect!.IsMetBy(value));
        }

        if (dump.Contents is not { } contents)
        {
            return new DrillQueryResult(query.Describe(), "the dump's row counts were not recorded", false);
        }

        // A partitioned table's parent holds no rows of its own (its partitions are counted); a dump whose data Strata
        // cannot count at all (LZ4, Zstd, INSERT format) cannot be compared.
        var counted = contents.Tables.Where(t => t.Rows is not null).ToList();
        if (counted.Count == 0 && contents.Tables.Count > 0)
        {
            return new DrillQueryResult(query.Describe(), "the dump's rows are unknown (no COPY data Strata could count)", false);
        }

        var counts = await session.CountRowsAsync(scratch, counted, cancellationToken);
        var differ = counted.Where(t => counts.GetValueOrDefault(t.QualifiedName, -1) != t.Rows).ToList();
        var found = differ.Count == 0
            ? $"{counted.Count} tables, {contents.TotalRows} rows, as in the dump"
            : string.Join("; ", differ.Take(5).Select(t => $"{t.QualifiedName}: {counts.GetValueOrDefault(t.QualifiedName, -1)} rows, dump had {t.Rows}")) + (differ.Count > 5 ? $"; {differ.Count - 5} more" : "");
        return new DrillQueryResult(query.Describe(), found, differ.Count == 0);
    }

    private static DatabaseDrillResult Failed(DatabaseTarget target, string database, string scratch, string error) => new()
    {
        Target = target.Name,
        Database = database,
        Scratch = scratch,
        Passed = false,
        Error = error,
    };
}
