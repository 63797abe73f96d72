using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// Creates the objects a claim is restored through and records them as items of the restore. One the same restore
/// made before (a replayed request finds it: same label, same binding) is used as it is; one it did not make is never
/// overwritten.
/// </summary>
internal sealed class SnapshotSteps(IClusterWriter target, bool dryRun, string restoreId, Func<string, bool> createdByDryRun, List<RestoreItemResult> items)
{
    /// <summary>
    /// Creates <paramref name="body"/>, <paramref name="ns"/>/<paramref name="name"/> of <paramref name="resource"/>:
    /// <see cref="RestoreItemOutcome.Created"/>; <see cref="RestoreItemOutcome.SkippedExisting"/> when this restore made it
    /// before (<paramref name="isSame"/>: whether the live object binds the same thing); else
    /// <see cref="RestoreItemOutcome.Failed"/> with why. Records nothing (<see cref="Record"/> does).
    /// </summary>
    public async Task<Step> CreateAsync(
        ApiResource resource, string? ns, string name, JsonObject body, Func<KubeObject, bool> isSame, CancellationToken cancellationToken)
    {
        try
        {
            await target.CreateAsync(resource, ns, body, dryRun, cancellationToken);
            return new Step(RestoreItemOutcome.Created, null);
        }
        catch (ClusterRequestException e) when (e.Reason == "AlreadyExists")
        {
            var live = await target.GetAsync(resource, ns, name, cancellationToken);
            return live is not null && live.Label(StrataLabels.RestoreId) == SnapshotRestoreNames.RestoreIdLabel(restoreId) && isSame(live)
                ? new Step(RestoreItemOutcome.SkippedExisting, "made by an earlier attempt of this restore; used as it is")
                : new Step(RestoreItemOutcome.Failed, $"{resource.Kind} {(ns is null ? name : $"{ns}/{name}")} exists and is not this restore's: left as it is");
        }
        catch (ClusterRequestException e) when (dryRun && e.StatusCode == 404 && ns is not null && createdByDryRun(ns))
        {
            return new Step(RestoreItemOutcome.Created, RestoreItemResult.NotValidatedPrefix + "its namespace is created by this restore, which a dry run does not do");
        }
        catch (ClusterRequestException e)
        {
            return new Step(RestoreItemOutcome.Failed, e.Message);
        }
    }

    /// <summary>
    /// Replaces the <c>backup_label</c> ConfigMap <paramref name="ns"/>/<paramref name="name"/> when an earlier Strata restore
    /// made it (restoring into the same namespace again): its label is another snapshot's, and left there it would mislead
    /// recovery. Returns how that went, or null when the ConfigMap is not an earlier restore's (it is left alone).
    /// </summary>
    public async Task<Step?> ReplaceEarlierRestoresAsync(string ns, string name, JsonObject body, CancellationToken cancellationToken)
    {
        try
        {
            if (await target.GetAsync(BackupLabelConfigMap.ConfigMaps, ns, name, cancellationToken) is not { } live
                || live.Label(StrataLabels.ManagedBy) != StrataLabels.Manager || live.Label(StrataLabels.RestoreId) is not { } earlier)
            {
                return null;
            }

            var patch = (JsonObject)body.DeepClone();
            patch.Remove("apiVersion");
            patch.Remove("kind");
            var data = (JsonObject)patch["data"]!;
            if (!data.ContainsKey(BackupLabelConfigMap.TablespaceMapKey))
            {
                data[BackupLabelConfigMap.TablespaceMapKey] = null; // a merge patch removes what the earlier restore's label had
            }

            await target.MergePatchAsync(BackupLabelConfigMap.ConfigMaps, ns, name, patch, dryRun, cancellationToken);
            return new Step(RestoreItemOutcome.Updated, $"made by Strata's restore {earlier} for another snapshot; replaced with this one's");
        }
        catch (ClusterRequestException e)
        {
            return new Step(RestoreItemOutcome.Failed, e.Message);
        }
    }

    /// <summary>Records an item of the restore: what the step said, else <paramref name="message"/>.</summary>
    public void Record(ApiResource resource, string? ns, string name, Step step, string? message) =>
        items.Add(new RestoreItemResult(resource.QualifiedName, ns, name, step.Outcome, step.Why ?? message));

    /// <summary>How one create went.</summary>
    /// <param name="Outcome">Created, found (made before by this restore), or failed.</param>
    /// <param name="Why">What to say beside the outcome; for a failure, why.</param>
    public sealed record Step(RestoreItemOutcome Outcome, string? Why)
    {
        public bool Failed => Outcome == RestoreItemOutcome.Failed;
    }
}
