using System.Text.Json.Nodes;

namespace Strata.Sandbox.Tests;

/// <summary>Objects the controller and admission tests create.</summary>
internal static class Fixtures
{
    public static JsonObject Deployment(string ns, string name, int replicas = 2, string image = "registry.example.com/web:1.0")
    {
        var deployment = SampleApplication.Deployment(ns, name, "frontend");
        deployment["spec"]!["replicas"] = replicas;
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        return deployment;
    }

    public static JsonObject PodController(string apiVersion, string kind, string ns, string name, Action<JsonObject>? spec = null) =>
        SampleApplication.Obj(apiVersion, kind, ns, name, new() { ["app"] = name }, extra: o =>
        {
            o["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox" }) },
                },
            };
            spec?.Invoke(o["spec"]!.AsObject());
        });

    public static JsonObject Job(string ns, string name, int? backoffLimit = null) =>
        SampleApplication.Obj("batch/v1", "Job", ns, name, extra: o =>
        {
            o["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "migrate", ["image"] = "migrate:1" }),
                    },
                },
            };
            if (backoffLimit is { } limit)
            {
                o["spec"]!["backoffLimit"] = limit;
            }
        });

    public static JsonObject StorageClass(string name, string provisioner = "disk.csi.azure.com", string? reclaimPolicy = null, bool isDefault = false) =>
        SampleApplication.Obj("storage.k8s.io/v1", "StorageClass", null, name,
            annotations: isDefault ? new() { ["storageclass.kubernetes.io/is-default-class"] = "true" } : null,
            extra: o =>
            {
                o["provisioner"] = provisioner;
                if (reclaimPolicy is not null)
                {
                    o["reclaimPolicy"] = reclaimPolicy;
                }
            });

    public static JsonObject Claim(string ns, string name, string? storageClass, string size = "5Gi") =>
        SampleApplication.Obj("v1", "PersistentVolumeClaim", ns, name, extra: o =>
        {
            o["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
            };
            if (storageClass is not null)
            {
                o["spec"]!["storageClassName"] = storageClass;
            }
        });

    public static JsonObject ConfigMap(string ns, string name) =>
        SampleApplication.Obj("v1", "ConfigMap", ns, name, extra: o => o["data"] = new JsonObject { ["k"] = "v" });

    public static string? Str(this JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node is JsonValue value ? value.ToString() : null;
    }

    public static (string? Status, string? Reason) StatusAndReason(this JsonObject obj, string type)
    {
        var (status, reason, _) = obj.Condition(type);
        return (status, reason);
    }

    /// <summary>The condition of <paramref name="type"/>, as (status, reason, message).</summary>
    public static (string? Status, string? Reason, string? Message) Condition(this JsonObject obj, string type)
    {
        var condition = (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        return (condition.Str("status"), condition.Str("reason"), condition.Str("message"));
    }
}
