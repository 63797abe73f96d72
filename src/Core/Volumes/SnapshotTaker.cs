using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.Core.Serialization;

namespace Strata.Core.Volumes;

/// <summary>
/// Takes one claim's snapshot in steps the callers interleave with hooks and online backups: ask for it, wait until it
/// is cut, wait until it is ready (or out of time — a <c>status.error</c> is not the end: the controller retries, and
/// clears it on success), then record it — the artifact <c>volumes/{ns}/{pvc}.json</c> with the bound
/// VolumeSnapshotContent (set to <c>Retain</c>, <see cref="BoundContent"/>) when it is ready, its problems in the run's
/// result; one not ready in time is an error that quotes the controller's last error, and so is a content that could not
/// be read or retained.
/// </summary>
internal sealed class SnapshotTaker(IClusterWriter client, LayerContext context, SnapshotWatch watch, TimeSpan timeout)
{
    private readonly BoundContent _contents = new(client, context);

    public ClaimSnapshot Plan(PlannedClaim claim)
    {
        var now = context.Time.GetUtcNow();
        return new ClaimSnapshot(claim, VolumeSnapshotName.For(claim.Name, context.BackupId), now, now + timeout);
    }

    /// <summary>Asks for the snapshot (or finds this backup's own); a refusal is kept on it, not thrown.</summary>
    public async Task<ClaimSnapshot> StartAsync(PlannedClaim claim, CancellationToken cancellationToken)
    {
        var taken = Plan(claim);
        try
        {
            (taken.Latest, taken.Reused) = await VolumeSnapshotRequest.EnsureAsync(client, context, claim, taken.Name, cancellationToken);
        }
        catch (VolumeSnapshotException e)
        {
            taken.NotTaken = (e.Message, e.Reason);
        }

        return taken;
    }

    /// <summary>Waits until the storage system has cut the snapshot (or its time is up): an error does not end the wait.</summary>
    public Task WaitUntilCutAsync(ClaimSnapshot taken, CancellationToken cancellationToken) => WaitAsync(taken, SnapshotStatus.IsCut, cancellationToken);

    /// <summary>Waits until the snapshot is ready, or its time is up: an error does not end the wait.</summary>
    public async Task WaitUntilReadyAsync(ClaimSnapshot taken, CancellationToken cancellationToken)
    {
        await WaitAsync(taken, SnapshotStatus.IsReady, cancellationToken);
        taken.EndedAt = context.Time.GetUtcNow();
    }

    private async Task WaitAsync(ClaimSnapshot taken, Func<Kubernetes.KubeObject, bool> until, CancellationToken cancellationToken)
    {
        if (taken.NotTaken is not null || taken.Observed?.End is SnapshotWaitEnd.Gone or SnapshotWaitEnd.Unreadable)
        {
            return;
        }

        var observed = await watch.WaitAsync(taken.Claim.Namespace, taken.Name, taken.Latest, until, taken.Deadline, cancellationToken);
        if (observed.End == SnapshotWaitEnd.TimedOut)
        {
            observed = await LastLookAsync(taken, observed, until, cancellationToken);
        }

        taken.Observed = observed;
        taken.Latest = observed.Latest ?? taken.Latest;
    }

    /// <summary>
    /// One fresh read before a timeout is declared: the deadline may have passed while post hooks or
    /// <c>pg_backup_stop</c> ran, with the snapshot ready meanwhile. A read that fails keeps the timeout.
    /// </summary>
    private async Task<SnapshotObservation> LastLookAsync(ClaimSnapshot taken, SnapshotObservation timedOut, Func<Kubernetes.KubeObject, bool> until, CancellationToken cancellationToken)
    {
        try
        {
            var fresh = await client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, taken.Claim.Namespace, taken.Name, cancellationToken);
            return fresh is null ? new SnapshotObservation(timedOut.Latest, SnapshotWaitEnd.Gone)
                : new SnapshotObservation(fresh, until(fresh) ? SnapshotWaitEnd.Reached : SnapshotWaitEnd.TimedOut);
        }
        catch (ClusterRequestException)
        {
            return timedOut;
        }
    }

    /// <summary>The manifest's record of the snapshot, its artifact when it is ready; every problem reported.</summary>
    public async Task<(VolumeSnapshotRecord Record, ArtifactEntry? Artifact)> RecordAsync(ClaimSnapshot taken, CancellationToken cancellationToken)
    {
        var claim = taken.Claim;
        var record = Describe(taken);
        var what = $"VolumeSnapshot {claim.Namespace}/{taken.Name} of claim {claim.Qualified}";
        var (error, reason) = taken switch
        {
            { NotTaken: { } refused } => (refused.Message, refused.Reason),
            { Observed.End: SnapshotWaitEnd.Gone } => ($"{what} was deleted while Strata waited for it", ProblemReasons.NotFound),
            { Observed: { End: SnapshotWaitEnd.Unreadable, Problem: { } problem } } => ($"{what}: {problem}", ProblemReasons.SnapshotFailed),
            { Latest: { } latest } when !SnapshotStatus.IsReady(latest) => NotReady(what, latest),
            _ => ((string?)null, (string?)null),
        };
        if (error is not null)
        {
            context.Result.Error(error, VolumeLayer.Resource, claim.Namespace, claim.Name, reason);
            return (record with { Error = error }, null);
        }

        if (taken.PostHookError is { } hookError)
        {
            record = record with { Error = hookError };
        }

        var (content, contentError) = await _contents.ReadAsync(taken, cancellationToken);
        string? original = null;
        if (content is not null)
        {
            (content, original, contentError) = await _contents.RetainAsync(taken, content, cancellationToken);
        }

        record = WithContent(record, content) with { OriginalDeletionPolicy = original };
        if (contentError is not null)
        {
            // Recorded and committed all the same: the snapshot is ready, and a restore in this cluster can use it.
            record = record with { Error = record.Error is { } earlier ? $"{earlier}; {contentError}" : contentError };
        }

        var path = ArtifactLayout.VolumeRecordPath(claim.Namespace, claim.Name);
        record = record with { Path = path };
        var artifact = new VolumeSnapshotArtifact(record, claim.Claim.Json, taken.Latest!.Json, content);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(artifact, StrataJson.Default.VolumeSnapshotArtifact);
        await using var upload = await context.Store.CreateAsync(ArtifactLayout.ArtifactKey(context.BackupPrefix, path), cancellationToken);
        await upload.Content.WriteAsync(bytes, cancellationToken);
        await upload.CommitAsync(cancellationToken);
        return (record, new ArtifactEntry(path, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    /// <summary>Not ready in time: a timeout, or — when the controller's last word was an error — a failure that quotes it.</summary>
    private (string, string) NotReady(string what, Kubernetes.KubeObject latest)
    {
        var message = $"{what} was not readyToUse after {GoDuration.Format(timeout)} (Strata stopped waiting; the snapshot controller may still finish it)";
        return SnapshotStatus.Error(latest) is { } last
            ? ($"{message}; last error: {last}", ProblemReasons.SnapshotFailed)
            : (message, ProblemReasons.Timeout);
    }

    private VolumeSnapshotRecord Describe(ClaimSnapshot taken)
    {
        var claim = taken.Claim.Claim;
        var snapshot = taken.Latest;
        return new VolumeSnapshotRecord
        {
            Namespace = taken.Claim.Namespace,
            Claim = taken.Claim.Name,
            StorageClass = taken.Claim.StorageClass,
            Driver = taken.Claim.Driver,
            VolumeSnapshotClass = taken.Claim.VolumeSnapshotClass,
            RequestedSize = claim.GetString("spec.resources.requests.storage"),
            AccessModes = (claim.Json["spec"] as JsonObject)?["accessModes"] is JsonArray modes ? [.. modes.Select(m => m?.GetValue<string>() ?? "")] : [],
            VolumeMode = claim.GetString("spec.volumeMode") ?? "Filesystem",
            SnapshotName = taken.Name,
            SnapshotUid = snapshot?.Uid,
            ContentName = snapshot?.GetString("status.boundVolumeSnapshotContentName"),
            RestoreSize = snapshot is null ? null : SnapshotStatus.RestoreSize(snapshot),
            CreationTime = snapshot is null ? null : SnapshotStatus.CreationTime(snapshot),
            ReadyToUse = snapshot is not null && SnapshotStatus.IsReady(snapshot),
            Reused = taken.Reused,
            Consistency = taken.Consistency,
            ConsistencyProblem = taken.ConsistencyProblem,
            OnlineBackup = taken.OnlineBackup,
            Hooks = taken.Hooks,
            StartedAt = taken.NotTaken is null ? taken.StartedAt : null,
            Duration = taken.NotTaken is null && taken.EndedAt is { } ended ? ended - taken.StartedAt : null,
        };
    }

    private static VolumeSnapshotRecord WithContent(VolumeSnapshotRecord record, JsonObject? content) => content is null ? record : record with
    {
        SnapshotHandle = (content["status"] as JsonObject)?["snapshotHandle"]?.GetValue<string>(),
        RestoreSizeBytes = SnapshotStatus.ContentRestoreSize(content),
        CreationTime = record.CreationTime ?? SnapshotStatus.ContentCreationTime(content),
        DeletionPolicy = (content["spec"] as JsonObject)?["deletionPolicy"]?.GetValue<string>(),
        Driver = (content["spec"] as JsonObject)?["driver"]?.GetValue<string>() ?? record.Driver,
        VolumeMode = (content["spec"] as JsonObject)?["sourceVolumeMode"]?.GetValue<string>() ?? record.VolumeMode,
    };
}
