using Strata.Core.Backup;
using Strata.Core.Databases;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Volumes;

/// <summary>
/// Application-consistent snapshots of one database: <c>pg_backup_start(label, fast)</c> → the snapshots of its claims
/// asked for → each cut → <c>pg_backup_stop()</c> in the same session, whose <c>backup_label</c> and
/// <c>tablespace_map</c> go on each claim's record. A session that did not open or start, or that dropped before the
/// stop: the snapshots are kept as crash-consistent, each record says why, and an error names the target.
/// </summary>
internal sealed class OnlineBackupRun(SnapshotTaker taker, LayerContext context)
{
    public async Task<IReadOnlyList<ClaimSnapshot>> RunAsync(OnlineTarget online, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var target = online.Target;
        var label = $"strata {context.BackupId}";
        var problem = online.Problem;
        OnlineBackupRecord? stopped = null;
        IReadOnlyList<ClaimSnapshot> taken;
        var slot = false;
        try
        {
            await slots.WaitAsync(cancellationToken);
            slot = true;
            var started = false;
            if (online.Session is { } session)
            {
                (started, problem) = await TryAsync(() => session.StartAsync(label, cancellationToken), "pg_backup_start failed");
            }

            taken = await Task.WhenAll(online.Claims.Select(c => taker.StartAsync(c, cancellationToken)));
            await Task.WhenAll(taken.Select(t => taker.WaitUntilCutAsync(t, cancellationToken)));
            if (started)
            {
                try
                {
                    stopped = await online.Session!.StopAsync(cancellationToken);
                }
                catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException)
                {
                    problem = $"the session ended before pg_backup_stop returned ({e.Message})";
                }
            }
        }
        finally
        {
            if (slot)
            {
                slots.Release();
            }

            // The run owns the session from its start: it ends here, however the run ends.
            await EndAsync(online.Session);
        }

        foreach (var snapshot in taken)
        {
            if (stopped is not null)
            {
                snapshot.Consistency = VolumeConsistency.Application;
                snapshot.OnlineBackup = stopped with { Target = target.Qualified, Label = stopped.Label.Length > 0 ? stopped.Label : label };
            }
            else
            {
                snapshot.ConsistencyProblem = problem;
            }
        }

        if (stopped is null)
        {
            var claims = string.Join(", ", online.Claims.Select(c => c.Qualified));
            context.Result.Error($"database target {target.Qualified}: the snapshots of its claims ({claims}) are not application-consistent, only crash-consistent: {problem}",
                VolumeLayer.Resource, target.Namespace, target.Name, ProblemReasons.NotConsistent);
        }

        await Task.WhenAll(taken.Select(t => taker.WaitUntilReadyAsync(t, cancellationToken)));
        return taken;
    }

    private static async Task<(bool Started, string? Problem)> TryAsync(Func<Task<OnlineBackupRecord>> start, string what)
    {
        try
        {
            await start();
            return (true, null);
        }
        catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException)
        {
            return (false, $"{what}: {e.Message}");
        }
    }

    private static async Task EndAsync(IOnlineBackupSession? session)
    {
        if (session is null)
        {
            return;
        }

        try
        {
            await session.DisposeAsync();
        }
        catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException or IOException)
        {
            // The session is over either way; what it held ended with it.
        }
    }
}
