using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Configuration;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Restore;
using Strata.Core.Runs;
using Strata.Core.Restore.Snapshots;
using Strata.Core.Volumes;

namespace Strata.Core.Drills;

/// <summary>
/// Runs one restore drill and records it: the verified backup → restored where it harms nothing
/// (<see cref="DrillMode.Scratch"/>: into <c>{prefix}-{namespace}</c> on the target through
/// <see cref="BackupRestore"/> with a namespace mapping, cluster-scoped objects created only where
/// missing and never overwritten; <see cref="DrillMode.DryRun"/>: every object sent with <c>dryRun=All</c>)
/// → the assertions waited for → the RTO → the scratch namespaces deleted (kept on failure when asked)
/// → a <see cref="DrillRecord"/> in the run history. The RTO runs from the drill's start to the last
/// assertion holding, on <see cref="TimeProvider"/>.
/// </summary>
public sealed class DrillRun(IClusterWriter target, IArtifactStore store, IRunHistory history, TimeProvider time, DrillOptions? options = null)
{
    private static readonly ApiResource Namespaces = new("", "v1", "namespaces", "Namespace", false, ["create", "delete", "get"]);
    private static readonly ApiResource RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, ["create", "get"]);
    private const string SnapshotContents = "volumesnapshotcontents.snapshot.storage.k8s.io";
    private readonly DrillOptions _options = options ?? new DrillOptions();

    /// <summary>Runs the drill; failures of the drill (refused objects, unmet assertions, an unreachable target) are recorded, not thrown.</summary>
    public async Task<DrillRecord> RunAsync(DrillRequest request, IProgress<DrillProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var startedAt = time.GetUtcNow();
        var settings = request.Settings;
        var record = new DrillRecord
        {
            Id = request.DrillId,
            BackupId = request.Backup.Id,
            Policy = request.Backup.Policy,
            Cluster = request.Backup.Cluster,
            Target = request.Target,
            Mode = settings.Mode,
            Status = DrillStatus.InProgress,
            StartedAt = startedAt,
            RtoObjectiveSeconds = settings.RecoveryTimeObjective?.TotalSeconds,
            RestoreId = request.DrillId,
            RequestedBy = request.RequestedBy,
        };
        await history.SaveDrillAsync(record, cancellationToken);
        var scratch = new ScratchState();
        try
        {
            record = settings.Mode == DrillMode.DryRun
                ? await DryRunAsync(request, record, progress, cancellationToken)
                : await ScratchAsync(request, record, scratch, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            // Whatever stopped it — a refused backup, an unreachable target, a store that failed — the drill is
            // recorded as failed and its scratch namespaces are still cleaned up.
            record = record with { Status = DrillStatus.Failed, Error = e is OperationCanceledException ? "cancelled" : e.Message };
        }

        if (settings.Mode == DrillMode.Scratch)
        {
            record = await CleanUpAsync(record, scratch, settings, progress, cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken);
        }

        record = record with { CompletedAt = time.GetUtcNow() };
        await history.SaveDrillAsync(record, CancellationToken.None);
        progress?.Report(new DrillProgress("done", time.GetUtcNow() - startedAt, record.Assertions.Count(a => a.Passed), record.Assertions.Count));
        cancellationToken.ThrowIfCancellationRequested();
        return record;
    }

    /// <summary>
    /// Records a drill whose worker stopped before it finished (its lease expired) as failed, and deletes the
    /// scratch namespaces it had claimed (they were free when it started), unless failed drills are kept.
    /// </summary>
    public async Task<DrillRecord> AbandonAsync(DrillRecord stale, DrillSettings settings, CancellationToken cancellationToken = default)
    {
        var scratch = new ScratchState();
        scratch.Claimed.AddRange(stale.Namespaces.Values);
        var record = await CleanUpAsync(
            stale with { Status = DrillStatus.Failed, Error = "abandoned: its worker stopped before the drill finished, and its lease expired" },
            scratch, settings, null, cancellationToken);
        record = record with { CompletedAt = time.GetUtcNow() };
        await history.SaveDrillAsync(record, CancellationToken.None);
        return record;
    }

    private async Task<DrillRecord> DryRunAsync(DrillRequest request, DrillRecord record, IProgress<DrillProgress>? progress, CancellationToken cancellationToken)
    {
        // Objects that exist on the target are validated as the update they would be; nothing is persisted either way.
        var restore = await RestoreAsync(new RestoreRequest
        {
            RestoreId = request.DrillId,
            BackupId = request.Backup.Id,
            TargetCluster = request.Target,
            DryRun = true,
            ExistingResourcePolicy = ExistingResourcePolicy.Update,
        }, record.StartedAt, progress, cancellationToken);
        var refused = Refusals(restore);
        // An object the server could not judge was not shown to restore: a dry run that validated nothing must not pass.
        var notValidated = restore.Items.Where(RestoreItemResult.IsNotValidated)
            .Select(i => new DrillRefusal(ObjectName(i), i.Message![RestoreItemResult.NotValidatedPrefix.Length..])).ToList();
        var counts = new Dictionary<string, long>(restore.Counts, StringComparer.Ordinal) { ["notValidated"] = notValidated.Count };
        return record with
        {
            Status = refused.Count == 0 && notValidated.Count == 0 ? DrillStatus.Passed : DrillStatus.Failed,
            RestoreSeconds = Seconds(record.StartedAt, restore.CompletedAt),
            Signature = restore.Signature,
            Counts = counts,
            Refused = refused,
            NotValidated = notValidated,
            Error = refused.Count > 0
                ? $"the target would refuse {refused.Count} of {restore.Items.Count} object(s); first: {refused[0].Object}: {refused[0].Reason}"
                : notValidated.Count > 0
                    ? $"the target could not validate {notValidated.Count} of {restore.Items.Count} object(s) (a dry run does not create their namespace or CRD); first: {notValidated[0].Object}: {notValidated[0].Reason}"
                    : null,
        };
    }

    /// <summary>
    /// The backup's manifest as <see cref="BackupOpening"/> reads it (its signature checked as the restore will check it),
    /// so the drill plans its namespaces from a manifest it can trust, not one read raw from the store.
    /// </summary>
    private async Task<BackupManifest> OpenedManifestAsync(BackupRecord backup, CancellationToken cancellationToken)
    {
        OpenedBackup? opened;
        try
        {
            opened = await BackupOpening.OpenAsync(store, backup.Location, _options.Restore.Keyring, _options.Restore.SignatureRequiredFor(backup), cancellationToken);
        }
        catch (BackupTrustException e)
        {
            throw new DrillAbortedException($"refused: {e.Message}; nothing was restored");
        }

        using (opened)
        {
            return opened?.Manifest ?? throw new DrillAbortedException($"backup {backup.Id} has no manifest: it never completed");
        }
    }

    private async Task<DrillRecord> ScratchAsync(
        DrillRequest request, DrillRecord record, ScratchState scratch, IProgress<DrillProgress>? progress, CancellationToken cancellationToken)
    {
        var backup = request.Backup;
        var manifest = await OpenedManifestAsync(backup, cancellationToken);
        var sources = manifest.Counts.ByNamespace.Keys.Order(StringComparer.Ordinal).ToList();
        if (sources.Count == 0)
        {
            throw new DrillAbortedException($"backup {backup.Id} holds no namespaced objects: a scratch drill has nothing to restore (a dryRun drill validates cluster-scoped objects)");
        }

        var mapping = Mapping(request.Prefix, sources);
        await EnsureFreeAsync(mapping, cancellationToken);
        scratch.Claimed.AddRange(mapping.Pairs.Values); // free until now: whatever is in them from here on is the drill's
        record = record with { Namespaces = mapping.Pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) };
        await history.SaveDrillAsync(record, cancellationToken); // a worker that dies from here on leaves its namespaces named in the history
        // Created here, not by the restore, so that each holds the drill's grant before anything is restored into it
        // (the restore then finds the backup's Namespace objects existing, and leaves them).
        await CreateNamespacesAsync(mapping, cancellationToken);

        var restore = await RestoreAsync(new RestoreRequest
        {
            RestoreId = request.DrillId,
            BackupId = backup.Id,
            TargetCluster = request.Target,
            IncludeNamespaces = sources, // cluster-scoped objects come only where the restored ones need them
            ExcludeResources = ["persistentvolumes"], // claims bind to new volumes, never to the volumes of what is copied
            NamespaceMapping = mapping,
            ExistingResourcePolicy = ExistingResourcePolicy.Skip, // never overwrite what the target has
            ReallocateNodePorts = true, // beside the original, its node ports are taken
            DisarmExternalEffects = true, // beside the original, a copy must not run its jobs, take an address or DNS names
        }, record.StartedAt, progress, cancellationToken);
        var refused = Refusals(restore);
        record = record with
        {
            RestoreSeconds = Seconds(record.StartedAt, restore.CompletedAt),
            Signature = restore.Signature,
            Counts = restore.Counts,
            Disarmed = restore.Disarmed,
            Refused = refused,
            CreatedClusterObjects = [.. restore.Items
                .Where(i => i is { Namespace: null, Outcome: RestoreItemOutcome.Created } && i.Resource is not ("namespaces" or SnapshotContents))
                .Select(i => $"{i.Resource}/{i.Name}")],
        };

        var discovery = await target.DiscoverAsync(cancellationToken);
        var assertions = AssertionWait.Build(request.Settings, restore, mapping, discovery, backup.Id,
            await Readiness.WaitingForConsumerAsync(target, discovery, cancellationToken));
        await new AssertionWait(target, time, _options).RunAsync(
            assertions, record.StartedAt, record.StartedAt + request.Settings.BoundedTimeout, progress, cancellationToken);
        var results = assertions.Select(a => a.ToResult()).ToList();
        var passed = refused.Count == 0 && results.All(a => a.Passed);
        return record with
        {
            Status = passed ? DrillStatus.Passed : DrillStatus.Failed,
            Assertions = results,
            RtoSeconds = passed ? results.Max(a => a.Seconds) ?? record.RestoreSeconds : null,
            Error = passed ? null : Failure(refused, assertions, request.Settings.Timeout),
        };
    }

    private async Task<RestoreRecord> RestoreAsync(RestoreRequest request, DateTimeOffset startedAt, IProgress<DrillProgress>? progress, CancellationToken cancellationToken)
    {
        var relay = progress is null ? null : new Relay<RestoreProgress>(p =>
            progress.Report(new DrillProgress("restoring", time.GetUtcNow() - startedAt, p.Done, p.Total, p.Tier ?? p.Phase)));
        return await new BackupRestore(target, store, history, time, _options.Restore).RunAsync(request, relay, cancellationToken);
    }

    private static NamespaceMapping Mapping(string prefix, IReadOnlyList<string> sources)
    {
        foreach (var source in sources)
        {
            if (prefix.Length + 1 + source.Length > 63)
            {
                throw new DrillAbortedException($"scratch namespace '{prefix}-{source}' would be longer than 63 characters: choose a shorter prefix");
            }
        }

        return NamespaceMapping.TryParse(sources.Select(s => $"{s}:{prefix}-{s}"), out var mapping, out var error)
            ? mapping
            : throw new DrillAbortedException($"scratch namespaces with prefix '{prefix}': {error}");
    }

    /// <summary>
    /// Makes sure no scratch name is taken: by a drill kept on failure, or by real namespaces that happen to
    /// have such names — the drill would restore into them, and its clean-up delete them.
    /// </summary>
    private async Task EnsureFreeAsync(NamespaceMapping mapping, CancellationToken cancellationToken)
    {
        foreach (var name in mapping.Pairs.Values)
        {
            if (await target.GetAsync(Namespaces, null, name, cancellationToken) is not null)
            {
                throw new DrillAbortedException(
                    $"namespace '{name}' already exists on the target (a drill kept on failure, or namespaces named like scratch ones): delete it, or choose another prefix; nothing was restored");
            }
        }
    }

    /// <summary>
    /// Creates the scratch namespaces, each with a RoleBinding of <see cref="DrillOptions.NamespaceRole"/> to
    /// <see cref="DrillOptions.NamespaceSubject"/>: the drill identity's reads and writes inside a scratch namespace
    /// come from that binding, not from a cluster-wide grant (infra/kubernetes/drill.yaml). A refused binding fails the drill.
    /// </summary>
    private async Task CreateNamespacesAsync(NamespaceMapping mapping, CancellationToken cancellationToken)
    {
        var discovery = await target.DiscoverAsync(cancellationToken);
        var namespaces = discovery.Find("", "namespaces") ?? Namespaces;
        var roleBindings = discovery.Find(RoleBindings.Group, RoleBindings.Name) ?? RoleBindings;
        foreach (var name in mapping.Pairs.Values)
        {
            await target.CreateAsync(namespaces, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [NamespaceMapping.NamespaceNameLabel] = name } },
            }, cancellationToken: cancellationToken);
            if (_options.NamespaceRole is { } role)
            {
                await target.CreateAsync(roleBindings, name, new JsonObject
                {
                    ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                    ["kind"] = "RoleBinding",
                    ["metadata"] = new JsonObject { ["name"] = role, ["namespace"] = name },
                    ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
                    ["subjects"] = new JsonArray(new JsonObject
                    {
                        ["kind"] = "ServiceAccount",
                        ["name"] = _options.NamespaceSubject.Name,
                        ["namespace"] = _options.NamespaceSubject.Namespace,
                    }),
                }, cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>
    /// Deletes the scratch namespaces the drill claimed (kept, those that exist, when it failed and
    /// <see cref="DrillSettings.KeepOnFailure"/>), and waits a while for them to go.
    /// </summary>
    private async Task<DrillRecord> CleanUpAsync(DrillRecord record, ScratchState scratch, DrillSettings settings, IProgress<DrillProgress>? progress, CancellationToken cancellationToken)
    {
        if (scratch.Claimed.Count == 0)
        {
            return record;
        }

        if (record.Status != DrillStatus.Passed && settings.KeepOnFailure)
        {
            var existing = new List<string>();
            foreach (var name in scratch.Claimed)
            {
                if (await target.GetAsync(Namespaces, null, name, cancellationToken) is not null)
                {
                    existing.Add(name);
                }
            }

            var contents = await SnapshotContentsAsync(record, cancellationToken);
            return record with
            {
                KeptNamespaces = existing,
                Warnings = contents.Names.Count == 0 ? record.Warnings : [.. record.Warnings,
                    $"{contents.Names.Count} VolumeSnapshotContent(s) the drill made are kept with its namespaces ({string.Join(", ", contents.Names.Select(n => n.Name))}); " +
                    $"delete them with the namespaces: kubectl delete volumesnapshotcontent -l {contents.Selector} (deletionPolicy Retain: the storage snapshots stay)"],
            };
        }

        progress?.Report(new DrillProgress("cleaning up", time.GetUtcNow() - record.StartedAt, 0, scratch.Claimed.Count));
        var warnings = new List<string>(record.Warnings);
        var kept = new List<string>();
        var deleting = new List<string>();
        foreach (var name in scratch.Claimed)
        {
            try
            {
                if (await target.DeleteAsync(Namespaces, null, name, cancellationToken))
                {
                    deleting.Add(name);
                }
            }
            catch (ClusterRequestException e)
            {
                kept.Add(name);
                warnings.Add($"scratch namespace {name} could not be deleted: {e.Message}");
            }
        }

        var until = time.GetUtcNow() + _options.CleanupWait;
        try
        {
            while (deleting.Count > 0)
            {
                foreach (var name in deleting.ToList())
                {
                    if (await target.GetAsync(Namespaces, null, name, cancellationToken) is null)
                    {
                        deleting.Remove(name);
                    }
                }

                if (deleting.Count == 0 || time.GetUtcNow() >= until)
                {
                    break;
                }

                await Task.Delay(_options.PollInterval, time, cancellationToken);
            }
        }
        catch (ClusterRequestException e)
        {
            warnings.Add($"could not see the scratch namespaces go: {e.Message}");
        }

        warnings.AddRange(deleting.Select(name => $"scratch namespace {name} was deleted and is still terminating after {_options.CleanupWait.TotalSeconds:0} s; it goes once its contents are gone"));
        var removed = await RemoveSnapshotContentsAsync(record, warnings, cancellationToken);
        return record with { KeptNamespaces = kept, Warnings = warnings, SnapshotContentsRemoved = removed };
    }

    /// <summary>
    /// Deletes the pre-provisioned VolumeSnapshotContents the drill's restore made (found by its restore-id label): they
    /// are cluster-scoped, so deleting the scratch namespaces does not take them. They are <c>Retain</c> — deleting one
    /// deletes the object, never the storage snapshot the original still owns; one that is not (changed since) is left,
    /// with a warning. Returns how many were removed; what could not be is a warning naming them.
    /// </summary>
    private async Task<int> RemoveSnapshotContentsAsync(DrillRecord record, List<string> warnings, CancellationToken cancellationToken)
    {
        var (names, selector, error) = await SnapshotContentsAsync(record, cancellationToken);
        if (error is not null)
        {
            warnings.Add($"could not list the VolumeSnapshotContents the drill made: {error}; delete them with kubectl delete volumesnapshotcontent -l {selector}");
            return 0;
        }

        var removed = 0;
        var failed = new List<string>();
        foreach (var (name, retained) in names)
        {
            if (!retained)
            {
                failed.Add($"{name} (its deletionPolicy is no longer Retain: deleting it would delete the storage snapshot)");
                continue;
            }

            try
            {
                if (await target.DeleteAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, name, cancellationToken))
                {
                    removed++;
                }
            }
            catch (ClusterRequestException e)
            {
                failed.Add($"{name} ({e.Message})");
            }
        }

        if (failed.Count > 0)
        {
            warnings.Add($"{failed.Count} VolumeSnapshotContent(s) the drill made were not removed: {string.Join("; ", failed)}; kubectl delete volumesnapshotcontent -l {selector}");
        }

        return removed;
    }

    /// <summary>The VolumeSnapshotContents labelled with the drill's restore id (and whether each is Retain); none when the target serves no snapshot API.</summary>
    private async Task<(List<(string Name, bool Retained)> Names, string Selector, string? Error)> SnapshotContentsAsync(DrillRecord record, CancellationToken cancellationToken)
    {
        var selector = SnapshotRestoreNames.Selector(record.RestoreId ?? record.Id);
        var names = new List<(string, bool)>();
        try
        {
            await foreach (var content in target.ListAsync(VolumeSnapshotApi.VolumeSnapshotContents, new ListRequest(LabelSelector: selector), cancellationToken))
            {
                names.Add((content.Name, content.GetString("spec.deletionPolicy") == "Retain"));
            }
        }
        catch (ClusterRequestException e) when (e.StatusCode == 404)
        {
            // The target serves no snapshot API: the drill made none.
        }
        catch (ClusterRequestException e)
        {
            return (names, selector, e.Message);
        }

        return (names, selector, null);
    }

    /// <summary>
    /// What the target refused: objects it would not take, and the restore's errors beside them (owner references it
    /// would not patch back, …) — a drill whose restore had errors did not prove the backup restores, so it fails.
    /// </summary>
    private static List<DrillRefusal> Refusals(RestoreRecord restore) =>
    [
        .. restore.Items
            .Where(i => i.Outcome is RestoreItemOutcome.Failed or RestoreItemOutcome.SkippedUnsupported)
            .Select(i => new DrillRefusal(ObjectName(i), i.Message ?? i.Outcome.ToString())),
        .. restore.Problems
            .Where(p => p.Severity == Results.ProblemSeverity.Error)
            .Select(p => new DrillRefusal(p.Name is null ? p.Resource ?? "restore" : $"{p.Resource} {(p.Namespace is null ? p.Name : $"{p.Namespace}/{p.Name}")}", p.Message)),
    ];

    private static string ObjectName(RestoreItemResult i) => $"{i.Resource} {(i.Namespace is null ? i.Name : $"{i.Namespace}/{i.Name}")}";

    /// <summary>Why a drill failed, in one line: what the target refused, else the assertion that cannot hold, else the timeout and what it last saw.</summary>
    private static string Failure(IReadOnlyList<DrillRefusal> refused, IReadOnlyList<WatchedAssertion> assertions, TimeSpan timeout)
    {
        var unmet = assertions.Where(a => a.State != AssertionState.Met).ToList();
        var failed = unmet.Where(a => a.State == AssertionState.Failed).ToList();
        if (refused.Count > 0)
        {
            return $"the target refused {refused.Count} object(s); first: {refused[0].Object}: {refused[0].Reason}"
                + (unmet.Count > 0 ? $"; {unmet.Count} assertion(s) unmet" : "");
        }

        if (failed.Count > 0)
        {
            return $"{failed.Count} assertion(s) cannot hold; {(failed.Count > 1 ? "first: " : "")}{failed[0].What} ({failed[0].LastSeen})";
        }

        var first = unmet[0];
        return $"timed out after {DurationText.Format(timeout)} with {unmet.Count} of {assertions.Count} assertion(s) unmet; "
            + $"{(unmet.Count > 1 ? "first: " : "")}{first.What} (last seen: {first.LastSeen})";
    }

    private static double? Seconds(DateTimeOffset startedAt, DateTimeOffset? at) => at is { } end ? (end - startedAt).TotalSeconds : null;

    /// <summary>The scratch namespaces this drill claimed: free when it started, so its clean-up may delete them (and only them).</summary>
    private sealed class ScratchState
    {
        public List<string> Claimed { get; } = [];
    }

    /// <summary>Reports synchronously, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
