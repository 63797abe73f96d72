using System.Security.Cryptography;
using System.Text.Json;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Freshness;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>
/// The CloudNativePG layer: for each Cluster of the policy, asks the operator for a base backup by creating a
/// <c>Backup</c> (named from the Strata backup id, so a replayed run finds its own instead of asking twice), waits for
/// it to end <c>completed</c> or <c>failed</c> under the target's timeout, and records it — the final <c>Backup</c>
/// object as an artifact (when it completed) and a <see cref="CloudNativePgBackup"/> in the manifest, with the Cluster's
/// WAL archiving as found. Strata copies none of Barman's data. A Backup that failed or did not finish in time, a
/// Cluster that is missing, an operator that is not installed: an error of that item, and the other layers go on.
/// </summary>
/// <param name="targets">The policy's Clusters.</param>
/// <param name="client">The cluster the Clusters are on.</param>
/// <param name="options">Tuning (the poll interval).</param>
/// <param name="objective">The policy's recovery-point objective, to judge the archivers by.</param>
public sealed class CloudNativePgLayer(IReadOnlyList<CloudNativePgTarget> targets, IClusterWriter client, CloudNativePgOptions? options = null, TimeSpan? objective = null) : IBackupLayer
{
    /// <summary>The resource name problems of this layer carry.</summary>
    public const string Resource = "cloudnativepg";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly CloudNativePgOptions _options = options ?? new CloudNativePgOptions();

    /// <inheritdoc />
    public string Name => Resource;

    /// <inheritdoc />
    public async Task<LayerCapture> CaptureAsync(LayerContext context, CancellationToken cancellationToken = default)
    {
        var missing = targets.Count == 0 ? null : await MissingAsync(context, cancellationToken);
        var capture = LayerCapture.Empty;
        foreach (var target in targets)
        {
            if (missing is not null)
            {
                context.Result.Error(missing, Resource, target.Namespace, target.Cluster, ProblemReasons.NotInstalled);
                continue;
            }

            try
            {
                capture = capture.Merge(await CaptureTargetAsync(context, target, cancellationToken));
            }
            catch (CloudNativePgException e)
            {
                context.Result.Error(e.Message, Resource, target.Namespace, target.Cluster, e.Reason);
            }
        }

        return capture;
    }

    private async Task<LayerCapture> CaptureTargetAsync(LayerContext context, CloudNativePgTarget target, CancellationToken cancellationToken)
    {
        var cluster = await CloudNativePgClusters.GetAsync(client, context.Cluster, target, cancellationToken);
        var choice = CloudNativePgClusterSpec.BackupMethod(cluster, target.Method);
        if (choice.Problem is { } problem)
        {
            throw new CloudNativePgException(problem, ProblemReasons.NotFound);
        }

        var (backup, reused) = await CloudNativePgBackupRequest.EnsureAsync(client, context, target, choice, cancellationToken);
        var (final, timedOut) = await WaitAsync(context, target, backup, cancellationToken);
        var record = CloudNativePgBackup.From(target, final) with { Reused = reused, Archiving = await ArchivingAsync(context, target, cancellationToken) };

        var what = $"CloudNativePG Backup {target.Namespace}/{final.Name} of Cluster {target.Cluster}";
        if (timedOut)
        {
            var error = $"{what} did not finish within {DurationText.Format(target.Timeout)} (phase {record.Phase ?? "not started"}); Strata stopped waiting, the operator may still finish it";
            context.Result.Error(error, Resource, target.Namespace, target.Cluster, ProblemReasons.Timeout);
            return new LayerCapture([]) { CloudNativePG = [record with { Error = record.Error ?? error }] };
        }

        if (record.Phase != CloudNativePgApi.Completed)
        {
            context.Result.Error($"{what} failed: {record.Error ?? (record.Phase == CloudNativePgApi.WalArchivingFailing ? "the Cluster's WAL archiving is failing, so the operator will not take it" : "the operator gave no error")}", Resource, target.Namespace, target.Cluster, ProblemReasons.BackupFailed);
            return new LayerCapture([]) { CloudNativePG = [record] };
        }

        var path = ArtifactLayout.CloudNativePgBackupPath(target.Namespace, target.Cluster);
        var artifact = await CommitAsync(context, path, final, cancellationToken);
        return new LayerCapture([artifact]) { CloudNativePG = [record with { Path = path }] };
    }

    private async Task<string?> MissingAsync(LayerContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await CloudNativePgClusters.MissingAsync(client, context.Cluster, cancellationToken);
        }
        catch (ClusterRequestException e)
        {
            return $"discovering CloudNativePG's API on cluster {context.Cluster} failed: {e.Message}";
        }
    }

    /// <summary>The Cluster's WAL archiving, read again now that the backup ended (its last successful backup moved on); a warning when it fails, is stale, or cannot be read.</summary>
    private async Task<WalArchivingStatus?> ArchivingAsync(LayerContext context, CloudNativePgTarget target, CancellationToken cancellationToken)
    {
        try
        {
            var cluster = await CloudNativePgClusters.GetAsync(client, context.Cluster, target, cancellationToken);
            var status = CloudNativePgArchiver.Status(target, cluster, context.Time.GetUtcNow(), objective);
            if (status.State is WalArchivingState.Failing or WalArchivingState.Stale)
            {
                context.Result.Warning($"WAL archiving of CloudNativePG Cluster {target.Qualified}: {status.Reason}", Resource, target.Namespace, target.Cluster);
            }

            return status;
        }
        catch (CloudNativePgException e)
        {
            context.Result.Warning($"the WAL archiving of CloudNativePG Cluster {target.Qualified} could not be read: {e.Message}", Resource, target.Namespace, target.Cluster, e.Reason);
            return null;
        }
    }

    /// <summary>Reads the Backup until it is completed or failed, or the timeout passes on the context's clock.</summary>
    private async Task<(KubeObject Backup, bool TimedOut)> WaitAsync(LayerContext context, CloudNativePgTarget target, KubeObject backup, CancellationToken cancellationToken)
    {
        var deadline = context.Time.GetUtcNow() + target.Timeout;
        var current = backup;
        while (true)
        {
            var phase = current.GetString("status.phase");
            context.Progress?.Report(new BackupProgress(0, 0, 0, 0, $"{Resource}/{target.Qualified}: {phase ?? "new"}"));
            if (phase is CloudNativePgApi.Completed or CloudNativePgApi.Failed or CloudNativePgApi.WalArchivingFailing)
            {
                return (current, false);
            }

            var left = deadline - context.Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return (current, true);
            }

            await Task.Delay(left < _options.PollInterval ? left : _options.PollInterval, context.Time, cancellationToken);
            current = await CloudNativePgClusters.GetAsync(client, CloudNativePgApi.Backups, target.Namespace, backup.Name, context.Cluster, cancellationToken)
                ?? throw new CloudNativePgException($"CloudNativePG Backup {target.Namespace}/{backup.Name} was deleted while Strata waited for it", ProblemReasons.NotFound);
        }
    }

    private static async Task<ArtifactEntry> CommitAsync(LayerContext context, string path, KubeObject backup, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(backup.Json, Indented);
        await using var upload = await context.Store.CreateAsync(ArtifactLayout.ArtifactKey(context.BackupPrefix, path), cancellationToken);
        await upload.Content.WriteAsync(bytes, cancellationToken);
        await upload.CommitAsync(cancellationToken);
        return new ArtifactEntry(path, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
