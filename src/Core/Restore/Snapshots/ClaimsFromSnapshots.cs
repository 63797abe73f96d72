using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// Before the claims' tier: decides, for each claim being restored that the backup holds a usable snapshot of, which
/// VolumeSnapshot its <c>dataSource</c> names — the backup's own, when it is still there, ready and bound in the same
/// namespace of the same cluster; else a new one bound to a pre-provisioned VolumeSnapshotContent (<see cref="PreProvisionedSnapshot"/>),
/// waited for until <c>readyToUse</c> — and creates the <c>backup_label</c> ConfigMaps of application-consistent PostgreSQL
/// volumes. A claim whose snapshot cannot be used is reported failed and never created empty: an empty volume where
/// the backup holds data would look restored and not be.
/// </summary>
internal sealed class ClaimsFromSnapshots(
    IClusterWriter target, RestoreRequest request, string restoreId, SnapshotInventory inventory, TimeProvider time, RestoreOptions options, OperationResult problems)
{
    private readonly Dictionary<(string, string), ClaimSource> _sources = [];
    private readonly List<RestoreItemResult> _items = [];
    private long _created;

    /// <summary>The VolumeSnapshots, VolumeSnapshotContents and ConfigMaps made (or refused) for the claims.</summary>
    public IEnumerable<RestoreItemResult> Results => _items;

    /// <summary>Claims created with a snapshot as their data source.</summary>
    public long ClaimsCreated => Interlocked.Read(ref _created);

    /// <summary>How the claim <paramref name="claim"/> of source namespace <paramref name="ns"/> is created; null: as it was backed up.</summary>
    public ClaimSource? For(string ns, string claim) => _sources.GetValueOrDefault((ns, claim));

    /// <summary>
    /// Makes <paramref name="claim"/> (<paramref name="ns"/>/<paramref name="name"/> in the target) one provisioned from
    /// <paramref name="source"/> (<see cref="ClaimDataSource"/>); warns when its request had to be raised. Returns what its
    /// item says.
    /// </summary>
    public string Rewrite(System.Text.Json.Nodes.JsonObject claim, ClaimSource source, string ns, string name)
    {
        var raised = ClaimDataSource.Apply(claim, source.SnapshotName!, source.RestoreBytes, source.RestoreSize);
        if (raised is not { } r)
        {
            return source.Description;
        }

        var change = $"storage request raised from {r.From ?? "none"} to {r.To}: the snapshot restores into no smaller volume (its restoreSize)";
        problems.Warning(change, VolumeSnapshotApi.Claims.QualifiedName, ns, name, ProblemReasons.RequestRaised);
        return $"{source.Description}; {change}";
    }

    /// <summary>Counts a claim created from its snapshot.</summary>
    public void Created() => Interlocked.Increment(ref _created);

    private bool OtherCluster => inventory.Cluster != request.TargetCluster;

    /// <summary>
    /// Prepares the snapshot of each of <paramref name="claims"/> (source namespace, name) that the backup holds one of;
    /// <paramref name="createdByDryRun"/> says whether a namespace is one this dry run would create.
    /// </summary>
    public async Task PrepareAsync(
        IEnumerable<(string Namespace, string Claim)> claims, DiscoveryResult discovery, Func<string, bool> createdByDryRun, CancellationToken cancellationToken)
    {
        var waiting = new List<PendingSnapshot>();
        var steps = new SnapshotSteps(target, request.DryRun, restoreId, createdByDryRun, _items);
        foreach (var key in claims.Distinct().Order())
        {
            var qualified = $"{key.Namespace}/{key.Claim}";
            if (!inventory.Recorded.TryGetValue(key, out var recorded))
            {
                if (inventory.Unprotected.TryGetValue(key, out var unprotected))
                {
                    problems.Warning($"no snapshot protects it in backup {inventory.BackupId} ({unprotected.Reason}): restored without its data",
                        VolumeSnapshotApi.Claims.QualifiedName, request.NamespaceMapping.Map(key.Namespace), key.Claim, ProblemReasons.Unprotected);
                }

                continue;
            }

            if (!SnapshotInventory.IsUsable(recorded.Record))
            {
                var why = recorded.Record.Error ?? (recorded.Record.Path is null ? "nothing was committed" : "never readyToUse");
                problems.Warning($"its snapshot in backup {inventory.BackupId} is not usable ({why}): restored without its data",
                    VolumeSnapshotApi.Claims.QualifiedName, request.NamespaceMapping.Map(key.Namespace), key.Claim, ProblemReasons.Unprotected);
                continue;
            }

            var targetNs = request.NamespaceMapping.Map(key.Namespace);
            (ClaimSource? Source, PendingSnapshot? Pending) plan;
            try
            {
                if (await target.GetAsync(VolumeSnapshotApi.Claims, targetNs, key.Claim, cancellationToken) is not null)
                {
                    continue; // it exists: skipped or updated by the policy, and a bound claim's data source cannot change
                }

                plan = await PlanAsync(recorded, targetNs, discovery, steps, qualified, cancellationToken);
            }
            catch (ClusterRequestException e)
            {
                // A read the identity may not make (csidrivers, volumesnapshots), a server that failed: this claim, not the restore.
                plan = (ClaimSource.Failed($"cluster {request.TargetCluster} could not be asked about the snapshot of {qualified}: {e.Message}; the claim was not created"), null);
            }

            if (plan.Source is { } source)
            {
                _sources[key] = source;
            }
            else
            {
                waiting.Add(plan.Pending!);
            }
        }

        foreach (var (pending, source) in await new SnapshotWait(target, time, options).RunAsync(waiting, cancellationToken))
        {
            steps.Record(VolumeSnapshotApi.VolumeSnapshots, pending.Namespace, pending.SnapshotName,
                source.Failure is null ? pending.Step : new SnapshotSteps.Step(RestoreItemOutcome.Failed, source.Failure),
                $"readyToUse: bound to {pending.ContentName}");
            _sources[(pending.Record.Namespace, pending.Record.Claim)] = source.Failure is null ? source : ClaimSource.Failed(
                $"{source.Failure}; the claim was not created: an empty volume where the backup holds data would look restored and not be");
        }

        foreach (var ((ns, claim), source) in _sources.Where(s => s.Value.Failure is null).OrderBy(s => s.Key))
        {
            var record = inventory.Recorded[(ns, claim)].Record;
            if (record.Error is { } error)
            {
                // Usable all the same (committed and ready): the data is there, and what the backup said of it is passed on.
                problems.Warning($"restored from its snapshot in backup {inventory.BackupId}, against which the backup recorded an error: {error}",
                    VolumeSnapshotApi.Claims.QualifiedName, request.NamespaceMapping.Map(ns), claim, ProblemReasons.RecordedError);
            }

            await BackupLabelAsync(record, request.NamespaceMapping.Map(ns), steps, cancellationToken);
        }
    }

    private async Task<(ClaimSource? Source, PendingSnapshot? Pending)> PlanAsync(
        RecordedSnapshot recorded, string targetNs, DiscoveryResult discovery, SnapshotSteps steps, string qualified, CancellationToken cancellationToken)
    {
        var record = recorded.Record;
        if (recorded.Unreadable is { } unreadable)
        {
            return (ClaimSource.Failed($"{unreadable}; the claim was not created"), null);
        }

        if (!ServesSnapshots(discovery))
        {
            return (ClaimSource.Failed($"cluster {request.TargetCluster} does not serve {VolumeSnapshotApi.ApiVersion} VolumeSnapshots and VolumeSnapshotContents " +
                $"(the CSI snapshot CRDs and controller are not installed): the snapshot of {qualified} cannot be restored there; the claim was not created"), null);
        }

        if (targetNs == record.Namespace && await OriginalAsync(record, cancellationToken) is { } original)
        {
            return (original, null);
        }

        if (record.SnapshotHandle is null || record.Driver is null)
        {
            return (ClaimSource.Failed($"backup {inventory.BackupId} recorded no snapshot handle or CSI driver for {qualified}, and its VolumeSnapshot is not usable here; the claim was not created"), null);
        }

        if (OtherCluster && await target.GetAsync(VolumeSnapshotApi.CsiDrivers, null, record.Driver, cancellationToken) is null)
        {
            return (ClaimSource.Failed($"cluster {request.TargetCluster} has no CSI driver {record.Driver}; the snapshot of {qualified} cannot be restored there; the claim was not created"), null);
        }

        var snapshotClass = await ClassAsync(record, cancellationToken);
        var contentName = SnapshotRestoreNames.Content(restoreId, targetNs, record.Claim);
        var snapshotName = SnapshotRestoreNames.Snapshot(restoreId, record.Claim);
        var content = await steps.CreateAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, contentName,
            PreProvisionedSnapshot.Content(contentName, record, targetNs, snapshotName, snapshotClass, restoreId, inventory.BackupId),
            live => live.GetString("spec.source.snapshotHandle") == record.SnapshotHandle, cancellationToken);
        steps.Record(VolumeSnapshotApi.VolumeSnapshotContents, null, contentName, content,
            $"pre-provisioned for {qualified}: handle {record.SnapshotHandle} of {record.Driver}, deletionPolicy Retain");
        if (content.Failed)
        {
            return (ClaimSource.Failed($"its VolumeSnapshotContent {contentName} could not be created ({content.Why}); the claim was not created"), null);
        }

        var description = $"from VolumeSnapshot {targetNs}/{snapshotName} (pre-provisioned content {contentName}, handle {record.SnapshotHandle})";
        var snapshot = await steps.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, targetNs, snapshotName,
            PreProvisionedSnapshot.Snapshot(snapshotName, targetNs, contentName, snapshotClass, record, restoreId, inventory.BackupId),
            live => live.GetString("spec.source.volumeSnapshotContentName") == contentName, cancellationToken);
        if (snapshot.Failed || request.DryRun)
        {
            steps.Record(VolumeSnapshotApi.VolumeSnapshots, targetNs, snapshotName, snapshot, $"bound to {contentName}; a dry run does not wait for it to be readyToUse");
        }

        return snapshot.Failed
            ? (ClaimSource.Failed($"its VolumeSnapshot {targetNs}/{snapshotName} could not be created ({snapshot.Why}); the claim was not created"), null)
            : request.DryRun
                ? (new ClaimSource(snapshotName, RestoreBytes(record, null), record.RestoreSize, description, null), null)
                : (null, new PendingSnapshot(record, targetNs, snapshotName, contentName, description, OtherCluster ? request.TargetCluster : null, snapshot));
    }

    /// <summary>The backup's own VolumeSnapshot, when it is still there — the same object, ready, bound to the recorded content.</summary>
    private async Task<ClaimSource?> OriginalAsync(VolumeSnapshotRecord record, CancellationToken cancellationToken)
    {
        if (await target.GetAsync(VolumeSnapshotApi.VolumeSnapshots, record.Namespace, record.SnapshotName, cancellationToken) is not { } live)
        {
            return null;
        }

        var same = record.SnapshotUid is { } uid ? live.Uid == uid : !OtherCluster;
        var restoreSize = SnapshotStatus.RestoreSize(live);
        return same && SnapshotStatus.IsReady(live) && record.ContentName is not null && SnapshotStatus.BoundContent(live) == record.ContentName
            ? new ClaimSource(record.SnapshotName, RestoreBytes(record, restoreSize), record.RestoreSize ?? restoreSize,
                $"from VolumeSnapshot {record.Namespace}/{record.SnapshotName}, the backup's own", null)
            : null;
    }

    /// <summary>The recorded VolumeSnapshotClass, when the target has it for the same driver; the content does without (it is only informative there).</summary>
    private async Task<string?> ClassAsync(VolumeSnapshotRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return record.VolumeSnapshotClass is { } name
                && await target.GetAsync(VolumeSnapshotApi.VolumeSnapshotClasses, null, name, cancellationToken) is { } live
                && live.GetString("driver") == record.Driver
                    ? name
                    : null;
        }
        catch (ClusterRequestException)
        {
            return null;
        }
    }

    private async Task BackupLabelAsync(VolumeSnapshotRecord record, string targetNs, SnapshotSteps steps, CancellationToken cancellationToken)
    {
        if (!BackupLabelConfigMap.IsNeeded(record))
        {
            return;
        }

        var name = SnapshotRestoreNames.BackupLabelConfigMap(record.Claim);
        var online = record.OnlineBackup!;
        var body = BackupLabelConfigMap.Body(targetNs, record.Claim, record, restoreId, inventory.BackupId);
        var step = await steps.CreateAsync(BackupLabelConfigMap.ConfigMaps, targetNs, name, body,
            live => live.Json["data"]?[BackupLabelConfigMap.BackupLabelKey]?.GetValue<string>() == online.BackupLabel, cancellationToken);
        if (step.Failed && await steps.ReplaceEarlierRestoresAsync(targetNs, name, body, cancellationToken) is { } replaced)
        {
            step = replaced;
        }

        steps.Record(BackupLabelConfigMap.ConfigMaps, targetNs, name, step, $"the backup_label of {online.Target}'s online backup, for claim {targetNs}/{record.Claim}");
        var refused = step.Failed ? step.Why : null;
        problems.Warning(
            refused is null
                ? $"restored from an application-consistent snapshot of PostgreSQL {online.Target}: before the server starts, copy backup_label from ConfigMap {targetNs}/{name} " +
                  $"into its data directory and let it replay WAL {online.StartLsn ?? "?"} to {online.StopLsn ?? "?"} from the WAL archive (docs/restore.md, \"Restoring volumes from snapshots\")"
                : $"restored from an application-consistent snapshot of PostgreSQL {online.Target}, but ConfigMap {targetNs}/{name} could not be created ({refused}): " +
                  $"write the backup_label of backup {inventory.BackupId} (its manifest's volumes[].onlineBackup.backupLabel) into its data directory before the server starts",
            VolumeSnapshotApi.Claims.QualifiedName, targetNs, record.Claim, ProblemReasons.BackupLabel);
    }

    private static bool ServesSnapshots(DiscoveryResult discovery) =>
        new[] { VolumeSnapshotApi.VolumeSnapshots, VolumeSnapshotApi.VolumeSnapshotContents }.All(wanted =>
            discovery.Resources.Any(r => r.Group == wanted.Group && r.Version == wanted.Version && r.Name == wanted.Name));

    /// <summary>The smallest volume the snapshot restores into: as recorded, else as the VolumeSnapshot in the target says.</summary>
    internal static long? RestoreBytes(VolumeSnapshotRecord record, string? live) =>
        record.RestoreSizeBytes is { } bytes ? bytes
        : StorageQuantity.TryParseBytes(record.RestoreSize, out var recorded) ? recorded
        : StorageQuantity.TryParseBytes(live, out var seen) ? seen
        : null;
}
