using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Databases;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Volumes;

/// <summary>
/// The volumes layer: a CSI <c>VolumeSnapshot</c> of each selected claim in scope (and of the claims of databases with a
/// <c>consistency</c>), with hooks run in the pods that mount them and PostgreSQL online backups around the databases'
/// — read the cluster once → plan each claim (or list it unprotected, with the reason) → run the hook groups (pre hooks →
/// online backups started → snapshots cut → online backups stopped → post hooks, <see cref="HookGroupRun"/>),
/// <see cref="VolumeSettings.Concurrency"/> at a time → wait for readiness on one shared poll → record
/// each ready snapshot under <c>volumes/{ns}/{pvc}.json</c>. It starts with the object capture and runs beside it.
/// A snapshot that fails, times out or whose hook fails is an error of that claim; the other claims and layers go on.
/// Every online-backup session it opens is ended on every path (<see cref="OnlineSessions"/>), a thrown or cancelled
/// open of a later one included.
/// </summary>
/// <param name="settings">The policy's <c>volumes:</c>.</param>
/// <param name="scope">The policy's scope: its namespaces bound the claims (its object selector does not select claims).</param>
/// <param name="databases">The policy's database targets: those with a <c>consistency</c> have their claims snapshotted.</param>
/// <param name="client">The cluster.</param>
/// <param name="onlineBackups">Opens the sessions of application-consistent snapshots; null where this build has none.</param>
public sealed class VolumeLayer(VolumeSettings settings, BackupScope scope, IReadOnlyList<DatabaseTarget> databases, IClusterWriter client, IOnlineBackups? onlineBackups = null)
    : IBackupLayer
{
    /// <summary>The resource name problems of this layer carry.</summary>
    public const string Resource = "volumes";

    /// <summary>The one error when the snapshot API is missing.</summary>
    public const string NotServed = "the cluster serves no snapshot.storage.k8s.io/v1 VolumeSnapshots (the external-snapshotter's CRDs and controller are not installed)";

    /// <inheritdoc />
    public string Name => Resource;

    /// <inheritdoc />
    public LayerTiming Timing => LayerTiming.WithObjects;

    /// <inheritdoc />
    public async Task<LayerCapture> CaptureAsync(LayerContext context, CancellationToken cancellationToken = default)
    {
        var consistent = databases.Where(d => d.Consistency is not null).ToList();
        if (!settings.Snapshots && consistent.Count == 0)
        {
            return LayerCapture.Empty;
        }

        var inventory = new VolumeInventory(client);
        var plan = new VolumePlan(context, inventory);
        var sessions = new OnlineSessions();
        try
        {
            var served = await inventory.SnapshotsServedAsync(cancellationToken);
            var generic = settings.Snapshots ? await inventory.ClaimsAsync(scope, settings.Selector, cancellationToken) : [];
            if (!served)
            {
                context.Result.Error(NotServed, Resource, null, null, ProblemReasons.NotInstalled);
                await plan.ListUnservedAsync(generic, consistent, cancellationToken);
                return plan.Capture([]);
            }

            await plan.ReadClusterAsync(settings.Classes, cancellationToken);
            var online = await OpenAsync(context, plan, consistent.Where(d => d.Consistency == VolumeConsistency.Application), sessions, cancellationToken);
            foreach (var target in consistent.Where(d => d.Consistency == VolumeConsistency.Crash))
            {
                generic.AddRange(await plan.DatabaseClaimsAsync(target, null, cancellationToken));
            }

            var onlineClaims = online.SelectMany(o => o.Claims).ToList();
            List<PlannedClaim> claims = [.. plan.Plan(generic, onlineClaims.Select(c => c.Qualified)), .. onlineClaims];
            var pods = await inventory.PodsMountingAsync(scope, claims.Select(c => c.Namespace).ToHashSet(StringComparer.Ordinal),
                claims.Select(c => c.Qualified).ToHashSet(StringComparer.Ordinal), cancellationToken);
            var groups = HookGroup.Form(claims, [.. pods.Select(p => PodHooks.For(p, settings.Hooks)).OfType<PodHooks>()], online);
            return plan.Capture(await SnapshotAsync(context, groups, sessions, cancellationToken));
        }
        catch (ClusterRequestException e)
        {
            context.Result.Error($"reading the claims, volumes, snapshot classes and pods of cluster {context.Cluster} failed: {e.Message}; no volume was snapshotted", Resource, null, null, e.Reason);
            return plan.Capture([]);
        }
        finally
        {
            // Each online-backup run ends its session; those a failure or a cancellation kept from their runs end here.
            await sessions.EndAllAsync();
        }
    }

    /// <summary>Opens the session of each application-consistent target and finds its claims (a failure to open is kept: its snapshots are then crash-consistent).</summary>
    private async Task<IReadOnlyList<OnlineTarget>> OpenAsync(
        LayerContext context, VolumePlan plan, IEnumerable<DatabaseTarget> targets, OnlineSessions sessions, CancellationToken cancellationToken)
    {
        var online = new List<OnlineTarget>();
        foreach (var target in targets)
        {
            var refusal = target.Engine != DatabaseEngine.PostgreSql ? "application-consistent snapshots are for PostgreSQL (pg_backup_start/pg_backup_stop)"
                : onlineBackups is null ? "application-consistent snapshots are not available in this build"
                : null;
            if (refusal is not null)
            {
                context.Result.Error($"database target {target.Qualified} asks for consistency: application, but {refusal}", Resource, target.Namespace, target.Name, ProblemReasons.NotConsistent);
                continue;
            }

            IOnlineBackupSession? session = null;
            string? problem = null;
            try
            {
                session = await onlineBackups!.OpenAsync(target, context.Cluster, cancellationToken);
                sessions.Add(session);
            }
            catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException)
            {
                problem = $"the session could not be opened ({e.Message})";
            }

            var planned = plan.Plan(await plan.DatabaseClaimsAsync(target, session?.Pod, cancellationToken), []);
            if (planned.Count == 0)
            {
                // Nothing to snapshot inside the online backup: the reasons are the claims' (not found, not protected).
                await sessions.EndAsync(session);
                context.Result.Error($"database target {target.Qualified} asks for application-consistent snapshots, but none of its claims can be snapshotted (see its claims' problems)",
                    Resource, target.Namespace, target.Name, ProblemReasons.NotConsistent);
                continue;
            }

            online.Add(new OnlineTarget(target, session, problem, planned));
        }

        return online;
    }

    private async Task<IReadOnlyList<(VolumeSnapshotRecord Record, ArtifactEntry? Artifact)>> SnapshotAsync(
        LayerContext context, IReadOnlyList<HookGroup> groups, OnlineSessions sessions, CancellationToken cancellationToken)
    {
        var watch = new SnapshotWatch(client, context.BackupId, context.Time, settings.PollInterval);
        var taker = new SnapshotTaker(client, context, watch, settings.Timeout);
        var hooked = new HookGroupRun(new HookRunner(client, context.Time), taker, context, sessions);
        using var slots = new SemaphoreSlim(settings.Concurrency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var polling = watch.RunAsync(stop.Token);
        var total = groups.Sum(g => g.Claims.Count);
        var done = 0;
        async Task<List<(VolumeSnapshotRecord, ArtifactEntry?)>> Recorded(Task<IReadOnlyList<ClaimSnapshot>> run)
        {
            var recorded = new List<(VolumeSnapshotRecord, ArtifactEntry?)>();
            foreach (var taken in await run)
            {
                recorded.Add(await taker.RecordAsync(taken, cancellationToken));
                var now = Interlocked.Increment(ref done);
                context.Progress?.Report(new BackupProgress(0, 0, 0, 0, $"{now}/{total} claims, {taken.Claim.Qualified} recorded", Resource));
            }

            return recorded;
        }

        try
        {
            context.Progress?.Report(new BackupProgress(0, 0, 0, 0, $"0/{total} claims", Resource));
            var runs = groups.Select(g => Recorded(hooked.RunAsync(g, slots, cancellationToken)));
            return [.. (await Task.WhenAll(runs)).SelectMany(t => t)];
        }
        finally
        {
            await stop.CancelAsync();
            await polling;
        }
    }
}
