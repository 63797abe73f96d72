using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.Core.Databases;

/// <summary>
/// Finds the pod a command runs in: by name (it must be Running), or the first Running and Ready pod a selector matches,
/// by name — each failure one line naming <c>what</c> needed it.
/// </summary>
public static class PodLocator
{
    /// <summary>The core group's pods.</summary>
    public static readonly ApiResource Pods = new("", "v1", "pods", "Pod", true, ["get", "list"]);

    /// <summary>The pod's name; <see cref="DatabaseTargetException"/> (prefixed with <paramref name="what"/>) when there is none to run in.</summary>
    public static async Task<string> FindAsync(IClusterReader cluster, string ns, string? pod, LabelSelector? selector, string what, CancellationToken cancellationToken = default)
    {
        try
        {
            return pod is not null ? await ByNameAsync(cluster, ns, pod, what, cancellationToken) : await BySelectorAsync(cluster, ns, selector!, what, cancellationToken);
        }
        catch (ClusterRequestException e)
        {
            throw new DatabaseTargetException($"{what}: finding its pod in namespace {ns} failed: {e.Message}", e);
        }
    }

    private static async Task<string> ByNameAsync(IClusterReader cluster, string ns, string name, string what, CancellationToken cancellationToken)
    {
        if (cluster is not IClusterWriter client)
        {
            throw new DatabaseTargetException($"{what}: the cluster client cannot read single objects");
        }

        var found = await client.GetAsync(Pods, ns, name, cancellationToken) ?? throw new DatabaseTargetException($"{what}: pod {ns}/{name} not found");
        var phase = Phase(found);
        return phase == "Running" ? name : throw new DatabaseTargetException($"{what}: pod {ns}/{name} is {phase ?? "not started"}, not Running");
    }

    private static async Task<string> BySelectorAsync(IClusterReader cluster, string ns, LabelSelector selector, string what, CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        string? chosen = null;
        await foreach (var candidate in cluster.ListAsync(Pods, new ListRequest(ns, selector.ToString()), cancellationToken))
        {
            var ready = Phase(candidate) == "Running" && IsReady(candidate);
            seen.Add($"{candidate.Name} {Phase(candidate) ?? "Pending"}{(IsReady(candidate) ? "" : ", not Ready")}");
            if (ready && (chosen is null || string.CompareOrdinal(candidate.Name, chosen) < 0))
            {
                chosen = candidate.Name;
            }
        }

        return chosen ?? throw new DatabaseTargetException(seen.Count == 0
            ? $"{what}: no pod in namespace {ns} matches '{selector}'"
            : $"{what}: no Running and Ready pod in namespace {ns} matches '{selector}' ({string.Join("; ", seen.Take(5))})");
    }

    private static string? Phase(KubeObject pod) => (pod.Json["status"] as JsonObject)?["phase"]?.GetValue<string>();

    private static bool IsReady(KubeObject pod) =>
        (pod.Json["status"] as JsonObject)?["conditions"] is JsonArray conditions
        && conditions.OfType<JsonObject>().Any(c => c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");
}
