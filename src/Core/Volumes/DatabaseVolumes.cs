using Strata.Core.Databases;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// The claims that hold a database target's data (and WAL): its <c>volumes</c> when strata.yaml names them, else every
/// claim its pod mounts — the online-backup session's pod, or the pod the target's exec would use.
/// </summary>
internal static class DatabaseVolumes
{
    /// <summary>The claims' names (in the target's namespace), or why they cannot be known.</summary>
    public static async Task<(IReadOnlyList<string> Claims, string? Problem)> ClaimsAsync(
        VolumeInventory inventory, IClusterReader client, DatabaseTarget target, (string Namespace, string Name)? sessionPod, CancellationToken cancellationToken)
    {
        if (target.Volumes.Count > 0)
        {
            return (target.Volumes, null);
        }

        var what = $"database target {target.Qualified}";
        try
        {
            var (ns, name) = sessionPod
                ?? (target.Executor == DatabaseExecutor.Exec
                    ? (target.Namespace, await PodLocator.FindAsync(client, target.Namespace, target.Pod, target.PodSelector, what, cancellationToken))
                    : throw new DatabaseTargetException($"{what} runs its tools on this host: give its 'volumes' (the claims that hold its data) for Strata to snapshot them"));
            var pod = await inventory.PodAsync(ns, name, cancellationToken) ?? throw new DatabaseTargetException($"{what}: pod {ns}/{name} not found");
            var claims = PodVolumes.Claims(pod).Distinct(StringComparer.Ordinal).ToList();
            return claims.Count > 0 ? (claims, null) : ([], $"{what}: its pod {ns}/{name} mounts no PersistentVolumeClaim, so there is no volume to snapshot");
        }
        catch (DatabaseTargetException e)
        {
            return ([], e.Message);
        }
        catch (ClusterRequestException e)
        {
            return ([], $"{what}: reading its pod failed: {e.Message}");
        }
    }
}
