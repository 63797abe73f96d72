using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.Core.Backup;

/// <summary>
/// Captures a cluster's API objects: discover → plan → list every planned type (bounded
/// parallelism) → item actions → one streamed archive → manifest last → run record.
/// A type or object that fails is recorded and the run goes on.
/// </summary>
public sealed class BackupCapture(
    IClusterReader cluster,
    IArtifactStore store,
    IRunHistory history,
    TimeProvider time,
    BackupCaptureOptions? options = null)
{
    private readonly BackupCaptureOptions _options = options ?? new BackupCaptureOptions();

    /// <summary>Takes the backup. Throws only for failed infrastructure and cancellation, after recording the run as failed.</summary>
    public async Task<BackupOutcome> RunAsync(BackupRequest request, IProgress<BackupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var startedAt = time.GetUtcNow();
        var id = request.BackupId ?? BackupId.New(startedAt);
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
        var (lease, held) = await RunLease.TakeAsync(history, time, _options.RunLease, record, cancellationToken);
        try
        {
            var run = new CaptureRun(cluster, request.Scope, _options, progress);
            var outcome = await CaptureAsync(run, record, cancellationToken);
            await lease.DisposeAsync();
            await history.SaveBackupAsync(outcome.Record, CancellationToken.None);
            return outcome;
        }
        catch (Exception e)
        {
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
    }

    private async Task<BackupOutcome> CaptureAsync(CaptureRun run, BackupRecord record, CancellationToken cancellationToken)
    {
        var version = await cluster.GetServerVersionAsync(cancellationToken);
        var discovery = await cluster.DiscoverAsync(cancellationToken);
        foreach (var failure in discovery.Failures)
        {
            run.RecordDiscoveryFailure(failure);
        }

        var plan = CapturePlanner.Plan(discovery, run.Scope);

        await using var upload = await store.CreateAsync(ArtifactLayout.ArtifactKey(record.Location, ArtifactLayout.ResourcesArchive), cancellationToken);
        ArtifactEntry archiveEntry;
        await using (var archive = new ResourceArchiveWriter(upload.Content, record.StartedAt, _options.Compression))
        {
            await run.CaptureAsync(plan, archive, cancellationToken);
            archiveEntry = await archive.CompleteAsync(ArtifactLayout.ResourcesArchive);
        }

        var problems = run.Result.Problems;
        var status = !run.Result.HasErrors ? BackupStatus.Succeeded
            : run.Tally.Objects == 0 ? BackupStatus.Failed
            : BackupStatus.PartiallyFailed;
        var completed = record with
        {
            Status = status,
            ServerVersion = version.GitVersion,
            ObjectCount = run.Tally.Objects,
            CountsByResource = CaptureTally.Sorted(run.Tally.ByResource),
            Problems = problems,
            CompletedAt = time.GetUtcNow(),
            Error = status == BackupStatus.Failed ? "nothing could be captured; see the problems" : null,
        };

        if (status == BackupStatus.Failed)
        {
            // Not committed: a failed capture leaves nothing that could pass for a backup.
            return new BackupOutcome(completed, null);
        }

        await upload.CommitAsync(cancellationToken);
        var manifest = BuildManifest(completed, run, plan, archiveEntry, version);
        await ManifestFile.WriteAsync(store, record.Location, manifest, cancellationToken);
        return new BackupOutcome(completed with { Artifacts = manifest.Artifacts, CompletedAt = manifest.CompletedAt }, manifest);
    }

    private BackupManifest BuildManifest(BackupRecord record, CaptureRun run, CapturePlan plan, ArtifactEntry archive, ServerVersion version) => new()
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
        Artifacts = [archive],
        Problems = record.Problems,
    };
}
