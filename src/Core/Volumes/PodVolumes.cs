using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>What the volume layer reads from a pod: the claims it mounts, its first container, whether it runs.</summary>
internal static class PodVolumes
{
    /// <summary>
    /// The claims the pod mounts: <c>spec.volumes[].persistentVolumeClaim.claimName</c>, and the claim of each generic
    /// ephemeral volume (<c>{pod}-{volume}</c>, as the ephemeral volume controller names it).
    /// </summary>
    public static IEnumerable<string> Claims(KubeObject pod)
    {
        if ((pod.Json["spec"] as JsonObject)?["volumes"] is not JsonArray volumes)
        {
            yield break;
        }

        foreach (var volume in volumes.OfType<JsonObject>())
        {
            if (volume["persistentVolumeClaim"]?["claimName"]?.GetValue<string>() is { Length: > 0 } claim)
            {
                yield return claim;
            }
            else if (volume["ephemeral"] is JsonObject && volume["name"]?.GetValue<string>() is { Length: > 0 } name)
            {
                yield return $"{pod.Name}-{name}";
            }
        }
    }

    /// <summary>The pod's first container (where Velero runs a hook that names none).</summary>
    public static string? FirstContainer(KubeObject pod) =>
        ((pod.Json["spec"] as JsonObject)?["containers"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["name"]?.GetValue<string>();

    /// <summary>Whether the pod is Running (hooks exec into it) and not being deleted.</summary>
    public static bool IsRunning(KubeObject pod) =>
        pod.GetString("status.phase") == "Running" && pod.Metadata["deletionTimestamp"] is null;
}
