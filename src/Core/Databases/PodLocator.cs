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
        var matched = new List<KubeObject>();
        await foreach (var candidate in cluster.ListAsync(Pods, new ListRequest(ns, selector.ToString()), cancellationToken))
        {
            matched.Add(candidate);
        }

        return Choose(matched)?.Name ?? throw new DatabaseTargetException(matched.Count == 0
            ? $"{what}: no pod in namespace {ns} matches '{selector}'"
            : $"{what}: no Running and Ready pod in namespace {ns} matches '{selector}' ({string.Join("; ", matched.Take(5).Select(Described))})");
    }

    /// <summary>
    /// The pod a selector's command runs in, among the pods it matches: the first Running and Ready one by name (ordinal);
    /// null when none is. Pure, so the coverage survey predicts the very pod a backup will dump.
    /// </summary>
    public static KubeObject? Choose(IEnumerable<KubeObject> matched) =>
        matched.Where(IsRunningAndReady).MinBy(p => p.Name, StringComparer.Ordinal);

    /// <summary>Whether a command may run in the pod a selector matched: phase Running and condition Ready True.</summary>
    public static bool IsRunningAndReady(KubeObject pod) => Phase(pod) == "Running" && IsReady(pod);

    private static string Described(KubeObject pod) => $"{pod.Name} {Phase(pod) ?? "Pending"}{(IsReady(pod) ? "" : ", not Ready")}";

    private static string? Phase(KubeObject pod) => (pod.Json["status"] as JsonObject)?["phase"]?.GetValue<string>();

    private static bool IsReady(KubeObject pod) =>
        (pod.Json["status"] as JsonObject)?["conditions"] is JsonArray conditions
        && conditions.OfType<JsonObject>().Any(c => c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");
}
