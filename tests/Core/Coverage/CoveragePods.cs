using System.Text.Json.Nodes;
using Strata.Core.Coverage;
using Strata.Sandbox;

namespace Strata.Core.Tests.Coverage;

/// <summary>Pods and CRDs as the coverage tests seed them into the sandbox (each container mounting the claims it names), and the lookup of an entry in a report.</summary>
internal static class CoveragePods
{
    /// <summary>The one entry of <paramref name="kind"/> at <paramref name="ns"/>/<paramref name="name"/>; fails listing what the report holds.</summary>
    public static CoverageEntry Find(CoverageReport report, StatefulKind kind, string? ns, string name) =>
        report.Entries.SingleOrDefault(e => e.Kind == kind && e.Namespace == ns && e.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {ns}/{name} in: {string.Join("; ", report.Entries.Select(e => $"{e.Kind} {e.Namespace}/{e.Name}"))}");

    /// <summary>A container: its image and the claims it mounts (each as a volume named after the claim).</summary>
    public sealed record Container(string Image, params string[] Claims);

    /// <summary>A Running pod, Ready when <paramref name="ready"/>, running <paramref name="containers"/>.</summary>
    public static JsonObject Pod(string ns, string name, Dictionary<string, string>? labels, bool ready, params Container[] containers) =>
        SampleApplication.Obj("v1", "Pod", ns, name, labels, extra: o =>
        {
            o["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray([.. containers.Select((c, i) => (JsonNode)new JsonObject
                {
                    ["name"] = $"c{i}",
                    ["image"] = c.Image,
                    ["volumeMounts"] = new JsonArray([.. c.Claims.Select(claim => (JsonNode)new JsonObject { ["name"] = claim, ["mountPath"] = $"/mnt/{claim}" })]),
                })]),
                ["volumes"] = new JsonArray([.. containers.SelectMany(c => c.Claims).Distinct().Select(claim => (JsonNode)new JsonObject
                {
                    ["name"] = claim,
                    ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim },
                })]),
            };
            o["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
            };
        });

    /// <summary>A namespaced CRD serving <c>v1</c> of <paramref name="plural"/>.<paramref name="group"/>, any fields allowed.</summary>
    public static JsonObject Crd(string group, string plural, string kind) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = group,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
            }),
        },
    };
}
