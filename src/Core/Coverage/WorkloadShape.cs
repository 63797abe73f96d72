using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Volumes;

namespace Strata.Core.Coverage;

/// <summary>What a pod, or a workload's pod template, runs and mounts, as the survey reads it.</summary>
internal static class WorkloadShape
{
    /// <summary>The images of a pod's (or template's) containers and init containers; <paramref name="json"/> has a <c>spec</c>.</summary>
    public static IEnumerable<string> Images(JsonObject json) =>
        new[] { "containers", "initContainers" }
            .SelectMany(list => ((json["spec"] as JsonObject)?[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(Image).OfType<string>();

    /// <summary>The first database a pod (or template) runs, with the image; null when none.</summary>
    public static (DatabaseImage Database, string Image)? Database(JsonObject json) =>
        DatabaseContainer(json) is { } container ? (DatabaseImages.Recognize(Image(container))!, Image(container)!) : null;

    /// <summary>
    /// The claims the database's own container (the one <see cref="Database"/> recognised) mounts: its
    /// <c>volumeMounts</c> → the pod's <c>volumes</c> → <c>persistentVolumeClaim.claimName</c> (or a generic ephemeral
    /// volume's <c>{pod}-{volume}</c>). A sidecar's or the application's claims are not in the dump.
    /// </summary>
    public static IReadOnlyList<string> DatabaseClaims(KubeObject pod)
    {
        var mounted = (DatabaseContainer(pod.Json)?["volumeMounts"] as JsonArray)?.OfType<JsonObject>()
            .Select(m => m["name"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        return ((pod.Json["spec"] as JsonObject)?["volumes"] as JsonArray)?.OfType<JsonObject>()
            .Where(v => v["name"]?.GetValue<string>() is { } name && mounted.Contains(name))
            .Select(v => v["persistentVolumeClaim"]?["claimName"]?.GetValue<string>()
                ?? (v["ephemeral"] is JsonObject ? $"{pod.Name}-{v["name"]!.GetValue<string>()}" : null))
            .OfType<string>().ToList() ?? [];
    }

    /// <summary>The first container or init container whose image is a database; null when none.</summary>
    private static JsonObject? DatabaseContainer(JsonObject json) =>
        new[] { "containers", "initContainers" }
            .SelectMany(list => ((json["spec"] as JsonObject)?[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            .FirstOrDefault(c => DatabaseImages.Recognize(Image(c)) is not null);

    private static string? Image(JsonObject container) => container["image"]?.GetValue<string>();

    /// <summary>A workload's pod template (<c>spec.template</c>), empty when it has none.</summary>
    public static KubeObject Template(KubeObject workload) =>
        new((workload.Json["spec"] as JsonObject)?["template"] as JsonObject ?? []);

    /// <summary>The claims a workload's pods mount: its template's claims and, for a StatefulSet, those its claim templates made (<c>{template}-{set}-{ordinal}</c>).</summary>
    public static IReadOnlyList<KubeObject> Claims(KubeObject workload, IReadOnlyList<KubeObject> claimsInNamespace)
    {
        var named = PodVolumes.Claims(Template(workload)).ToHashSet(StringComparer.Ordinal);
        var prefixes = ClaimTemplates(workload).Select(t => $"{t}-{workload.Name}-").ToList();
        return claimsInNamespace.Where(c => named.Contains(c.Name) || prefixes.Any(p => c.Name.StartsWith(p, StringComparison.Ordinal) && int.TryParse(c.Name[p.Length..], out _))).ToList();
    }

    /// <summary>A StatefulSet's <c>volumeClaimTemplates</c> names.</summary>
    public static IReadOnlyList<string> ClaimTemplates(KubeObject workload) =>
        ((workload.Json["spec"] as JsonObject)?["volumeClaimTemplates"] as JsonArray)?.OfType<JsonObject>()
            .Select(t => t["metadata"]?["name"]?.GetValue<string>()).OfType<string>().ToList() ?? [];

    /// <summary>A workload's <c>spec.selector.matchLabels</c>; empty when it has none (then it selects no pod here).</summary>
    public static IReadOnlyDictionary<string, string> MatchLabels(KubeObject workload) =>
        ((workload.Json["spec"] as JsonObject)?["selector"]?["matchLabels"] as JsonObject)?
            .Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);
}
