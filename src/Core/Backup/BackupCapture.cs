using Strata.Core.Artifacts;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Core.Telemetry;

namespace Strata.Core.Backup;

/// <summary>
/// Captures a cluster's API objects: the layers that run beside them start (<see cref="LayerTiming.WithObjects"/>:
/// volume snapshots) → discover → plan → list every planned type (bounded parallelism) → item actions → one streamed
/// archive, committed → the layers beside them awaited → the other layers in turn (<see cref="IBackupLayer"/>: database
/// dumps, CloudNativePG backups, WAL archiver readings) → manifest last (signed first, when the keyring has a signer) → run
/// record. A type, object or layer item that fails is recorded and the run goes on. When the request encrypts, a fresh
/// data key is wrapped by every key that can wrap before anything is written (a wrap that fails fails the run: nothing
/// is stored unencrypted that should not be), Secret values are encrypted as the last item action, and the artifacts
/// <see cref="EncryptionPaths"/> names are written through <see cref="BackupCipherStore"/>.
/// </summary>
public sealed class BackupCapture(
    IClusterReader cluster,
    IArtifactStore store,
    IRunHistory history,
    TimeProvider time,
    BackupCaptureOptions? options = null,
    IReadOnlyList<IBackupLayer>? layers = null)
{
    private readonly BackupCaptureOptions _options = options ?? new BackupCaptureOptions();
    private readonly IReadOnlyList<IBackupLayer> _layers = layers ?? [];

    /// <summary>Takes the backup. Throws only for failed infrastructure and cancellation, after recording the run as failed.</summary>
    public async Task<BackupOutcome> RunAsync(BackupRequest request, IProgress<BackupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var startedAt = time.GetUtcNow();
        var id = request.BackupId ?? BackupId.New(startedAt, _options.Ids);
        var prefix = ArtifactLayout.BackupPrefix(request.Cluster, request.Policy, id);
        var record = new BackupRecord
        {
            Id = id,
            Cluster = request.Cluster,
            Policy = request.Policy,
            Status = BackupStatus.InProgress,
            StartedAt = startedAt,
            Location = prefix,
            Scope = request.Scope.ToSummary(),
            RetainUntil = startedAt + request.RetainFor,
            RequestedBy = request.RequestedBy,
        };
        using var span = StrataActivities.Start("backup", request.Cluster, request.Policy, id);
        var (lease, held) = await RunLease.TakeAsync(history, time, _options.RunLease, record, cancellationToken);
        Sealing? sealing = null;
        try
        {
            await ProbeSignerAsync(cancellationToken);
            sealing = await SealAsync(request.Encrypt, prefix, cancellationToken);
            var run = new CaptureRun(cluster, request.Scope, _options, progress, sealing?.Key);
            var outcome = await CaptureAsync(run, record, sealing, progress, cancellationToken);
            await lease.DisposeAsync();
            await history.SaveBackupAsync(outcome.Record, CancellationToken.None);
            span?.SetTag(StrataActivities.StatusTag, outcome.Record.Status.ToString());
            if (outcome.Record.Status == BackupStatus.Failed)
            {
                StrataActivities.Fail(span, outcome.Record.Error ?? "nothing usable was committed");
            }

            return outcome;
        }
        catch (Exception e)
        {
            StrataActivities.Fail(span?.SetTag(StrataActivities.StatusTag, nameof(BackupStatus.Failed)), e);
            await lease.DisposeAsync();
            var failed = held with
            {
                LeaseExpiresAt = null,
                Status = BackupStatus.Failed,
                CompletedAt = time.GetUtcNow(),
                Error = e is OperationCanceledException ? "cancelled" : e.Message,
            };
            await history.SaveBackupAsync(failed, CancellationToken.None);
            throw;
        }
        finally
        {
            sealing?.Key.Dispose();
        }
    }

    /// <summary>
    /// Signs an empty probe with the keyring's signer (if any) before anything is written: a signing secret that cannot be
    /// read or a Key Vault that cannot be reached fails the run up front, not after every artifact has been uploaded.
    /// </summary>
    private async Task ProbeSignerAsync(CancellationToken cancellationToken)
    {
        if (_options.Keyring.Signer is { } signer)
        {
            _ = await signer.SignAsync(ReadOnlyMemory<byte>.Empty, cancellationToken);
        }
    }

    /// <summary>
    /// A fresh data key, wrapped by every key that can wrap, and the store view that encrypts what <paramref name="mode"/>
    /// says; null when nothing is encrypted. Runs before anything is written, so a key that cannot wrap fails the run clean.
    /// </summary>
    private async Task<Sealing?> SealAsync(EncryptionMode mode, string prefix, CancellationToken cancellationToken)
    {
        if (mode == EncryptionMode.None)
        {
            return null;
        }

        var keyring = _options.Keyring;
        if (!keyring.CanEncrypt)
        {
            throw new KeyUnwrapException($"the policy encrypts ({mode.ToString().ToLowerInvariant()}), and no configured key can wrap a data key: nothing was written");
        }

        var key = DataKey.Create();
        try
        {
            var wrapped = new List<WrappedKey>();
            foreach (var kek in keyring.Keys.Where(k => k.CanWrap))
            {
                var one = await kek.WrapAsync(key, cancellationToken);
                wrapped.Add(one with { Name = one.Name ?? kek.Name, WrappedAt = one.WrappedAt ?? time.GetUtcNow() });
            }

            return new Sealing(mode, key, wrapped, new BackupCipherStore(store, prefix, key, EncryptionPaths.For(mode)));
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The manifest's record of how the backup was encrypted.</summary>
    private static EncryptionRecord? Record(Sealing? sealing) => sealing is null ? null : new EncryptionRecord
    {
        Scheme = EncryptionRecord.CurrentScheme,
        Mode = sealing.Mode,
        WrappedKeys = sealing.Wrapped,
        KeyCheck = KeyCheckValue.Of(sealing.Key),
        SecretValues = true,
        EncryptedArtifacts = sealing.Store.EncryptedPaths,
    };

    private async Task<BackupOutcome> CaptureAsync(CaptureRun run, BackupRecord record, Sealing? sealing, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        IArtifactStore artifacts = sealing?.Store ?? store;
        // The layers beside the objects record into their own result until the objects are judged: their errors must
        // not make the objects look failed.
        var beside = new OperationResult();
        using var besideStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = StartLayers(LayerTiming.WithObjects, Context(sealing, record, beside, progress), besideStop.Token);
        ServerVersion version;
        CapturePlan plan;
        ArtifactEntry archiveEntry;
        bool objectsFailed;
        try
        {
            (version, plan, archiveEntry, objectsFailed) = await CaptureObjectsAsync(run, record, artifacts, cancellationToken);
        }
        catch
        {
            // The run fails; the layers beside it stop, and nothing of theirs is left running.
            await besideStop.CancelAsync();
            await SettleAsync(started);
            throw;
        }

        var layers = (await Task.WhenAll(started)).Aggregate(LayerCapture.Empty, (all, one) => all.Merge(one));
        run.Result.Add(beside.Problems);
        layers = layers.Merge(await CaptureLayersAsync(Context(sealing, record, run.Result, progress), cancellationToken));
        var committed = !objectsFailed || layers.Artifacts.Count > 0;
        var status = !run.Result.HasErrors ? BackupStatus.Succeeded
            : committed ? BackupStatus.PartiallyFailed
            : BackupStatus.Failed;
        var completed = record with
        {
            Status = status,
            ServerVersion = version.GitVersion,
            ObjectCount = run.Tally.Objects,
            CountsByResource = CaptureTally.Sorted(run.Tally.ByResource),
            Problems = run.Result.Problems,
            CompletedAt = time.GetUtcNow(),
            Error = status == BackupStatus.Failed ? "nothing could be captured; see the problems" : null,
        };

        if (status == BackupStatus.Failed)
        {
            // No manifest: a failed capture leaves nothing that could pass for a backup.
            return new BackupOutcome(completed, null);
        }

        var manifest = BuildManifest(completed, run, plan, objectsFailed ? layers : new LayerCapture([archiveEntry]).Merge(layers), version) with { Encryption = Record(sealing) };
        ManifestSignature? signature;
        using (StrataActivities.Start("backup.manifest", record.Cluster, record.Policy, record.Id))
        {
            (_, signature) = await ManifestFile.WriteAsync(store, record.Location, manifest, _options.Keyring.Signer, cancellationToken);
        }

        return new BackupOutcome(completed with { Artifacts = manifest.Artifacts, CompletedAt = manifest.CompletedAt, SignedBy = signature?.KeyId }, manifest);
    }

    /// <summary>Discovers, plans and captures the objects into the archive, committed unless nothing could be captured.</summary>
    private async Task<(ServerVersion Version, CapturePlan Plan, ArtifactEntry Archive, bool Failed)> CaptureObjectsAsync(
        CaptureRun run, BackupRecord record, IArtifactStore artifacts, CancellationToken cancellationToken)
    {
        ServerVersion version;
        CapturePlan plan;
        using (StrataActivities.Start("backup.plan", record.Cluster, record.Policy, record.Id))
        {
            version = await cluster.GetServerVersionAsync(cancellationToken);
            var discovery = await cluster.DiscoverAsync(cancellationToken);
            foreach (var failure in discovery.Failures)
            {
                run.RecordDiscoveryFailure(failure);
            }

            plan = CapturePlanner.Plan(discovery, run.Scope);
        }

        using var span = StrataActivities.TagLayer(StrataActivities.Start("backup.capture", record.Cluster, record.Policy, record.Id), Status.BackupLayers.Objects);
        await using var upload = await artifacts.CreateAsync(ArtifactLayout.ArtifactKey(record.Location, ArtifactLayout.ResourcesArchive), cancellationToken);
        ArtifactEntry archiveEntry;
        await using (var archive = new ResourceArchiveWriter(upload.Content, record.StartedAt, _options.Compression))
        {
            await run.CaptureAsync(plan, archive, cancellationToken);
            archiveEntry = await archive.CompleteAsync(ArtifactLayout.ResourcesArchive);
        }

        // Objects are committed unless nothing could be captured at all; the other layers commit their own artifacts.
        var objectsFailed = run.Result.HasErrors && run.Tally.Objects == 0;
        if (!objectsFailed)
        {
            await upload.CommitAsync(cancellationToken);
        }

        return (version, plan, archiveEntry, objectsFailed);
    }

    private LayerContext Context(Sealing? sealing, BackupRecord record, OperationResult result, IProgress<BackupProgress>? progress) =>
        new(sealing?.Store ?? store, record.Location, result, time, progress)
        {
            BackupId = record.Id,
            Policy = record.Policy,
            Cluster = record.Cluster,
            Encryption = sealing?.Mode ?? EncryptionMode.None,
        };

    /// <summary>Starts the layers of <paramref name="timing"/>, each on its own (a layer that throws at once still leaves a task to await).</summary>
    private List<Task<LayerCapture>> StartLayers(LayerTiming timing, LayerContext context, CancellationToken cancellationToken) =>
        [.. _layers.Where(l => l.Timing == timing).Select(l => Task.Run(() => CaptureLayerAsync(l, context, cancellationToken), cancellationToken))];

    /// <summary>One layer's capture, in its own span.</summary>
    private static async Task<LayerCapture> CaptureLayerAsync(IBackupLayer layer, LayerContext context, CancellationToken cancellationToken)
    {
        using var span = StrataActivities.TagLayer(StrataActivities.Start("backup.capture", context.Cluster, context.Policy, context.BackupId), layer.Name);
        try
        {
            return await layer.CaptureAsync(context, cancellationToken);
        }
        catch (Exception e)
        {
            StrataActivities.Fail(span, e);
            throw;
        }
    }

    /// <summary>Waits for <paramref name="tasks"/> to end, however they end (the run failed already; what they met is of no further use).</summary>
    private static async Task SettleAsync(IReadOnlyList<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // Observed, and dropped: the failure that ended the run is the one that is reported.
        }
    }

    /// <summary>The layers that run after the objects, one after another.</summary>
    private async Task<LayerCapture> CaptureLayersAsync(LayerContext context, CancellationToken cancellationToken)
    {
        var capture = LayerCapture.Empty;
        foreach (var layer in _layers.Where(l => l.Timing == LayerTiming.AfterObjects))
        {
            capture = capture.Merge(await CaptureLayerAsync(layer, context, cancellationToken));
        }

        return capture;
    }

    private BackupManifest BuildManifest(BackupRecord record, CaptureRun run, CapturePlan plan, LayerCapture artifacts, ServerVersion version) => new()
    {
        FormatVersion = ArtifactFormat.Version,
        Tool = new ToolInfo("strata", _options.ToolVersion),
        BackupId = record.Id,
        Cluster = record.Cluster,
        Policy = record.Policy,
        ServerVersion = version.GitVersion,
        Scope = record.Scope!,
        StartedAt = record.StartedAt,
        CompletedAt = record.CompletedAt ?? time.GetUtcNow(),
        Status = record.Status,
        Counts = new ObjectCounts(run.Tally.Objects, record.CountsByResource, CaptureTally.Sorted(run.Tally.ByNamespace)),
        ExcludedObjects = CaptureTally.Sorted(run.Tally.Excluded),
        ExcludedResources = plan.Skipped,
        GitOps = new GitOpsSummary(
            run.Tally.GitOpsManaged,
            run.Tally.GitOpsSkipped,
            CaptureTally.Sorted(run.Tally.ByGitOpsManager),
            [.. run.Tally.GitOpsObjects.OrderBy(o => o.Path, StringComparer.Ordinal)]),
        Artifacts = artifacts.Artifacts,
        Databases = artifacts.Databases.Count > 0 ? artifacts.Databases : null,
        Applications = artifacts.Applications.Count > 0 ? artifacts.Applications : null,
        CloudNativePG = artifacts.CloudNativePG.Count > 0 ? artifacts.CloudNativePG : null,
        WalArchiving = artifacts.WalArchiving.Count > 0 ? artifacts.WalArchiving : null,
        Volumes = artifacts.Volumes.Count > 0 || artifacts.UnprotectedVolumes.Count > 0 ? artifacts.Volumes : null,
        UnprotectedVolumes = artifacts.Volumes.Count > 0 || artifacts.UnprotectedVolumes.Count > 0 ? artifacts.UnprotectedVolumes : null,
        Etcd = artifacts.Etcd,
        Problems = record.Problems,
    };

    /// <summary>An encrypting capture's data key, its wrappings and the store view that encrypts.</summary>
    private sealed record Sealing(EncryptionMode Mode, DataKey Key, IReadOnlyList<WrappedKey> Wrapped, BackupCipherStore Store);
}
