using System.Text.Json.Nodes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>
/// Admission, in kube-apiserver's order: the built-in plugins that may change or refuse a request
/// before validation (NamespaceLifecycle, DefaultStorageClass), then, after validation, the
/// configured webhooks and policies (<see cref="SandboxOptions.Admission"/>). Dry runs go through
/// all of it.
/// </summary>
internal sealed class AdmissionChain(ObjectStore store, IReadOnlyList<AdmissionRule> rules)
{
    /// <summary>NamespaceLifecycle's namespaces that may not be deleted.</summary>
    private static readonly HashSet<string> Immortal = ["default", "kube-system", "kube-public"];

    public void AdmitCreate(RequestTarget.Objects target, JsonObject obj)
    {
        var type = target.Type;
        if (target.Namespace is { } ns && type.Key != "namespaces")
        {
            var stored = store.Get(store.FindType("", "namespaces")!, null, ns) ?? throw ApiError.NotFound("namespaces", ns);
            if (stored.ToJson("v1", "Namespace")["status"]?["phase"]?.GetValue<string>() == "Terminating")
            {
                var cause = new JsonObject
                {
                    ["reason"] = "NamespaceTerminating",
                    ["message"] = $"namespace {ns} is being terminated",
                    ["field"] = "metadata.namespace",
                };
                throw ApiError.Forbidden(type.Group, type.Plural, NameForAdmission(obj),
                    $"unable to create new content in namespace {ns} because it is being terminated", new JsonArray(cause));
            }
        }

        if (type.Key == "persistentvolumeclaims")
        {
            DefaultStorageClass(obj);
        }
    }

    public static void AdmitDelete(RequestTarget.Objects target)
    {
        if (target.Type.Key == "namespaces" && Immortal.Contains(target.Name!))
        {
            throw ApiError.Forbidden("", "namespaces", target.Name!, "this namespace may not be deleted");
        }
    }

    /// <summary>The configured webhooks and policies, on a write to a resource (not to a subresource).</summary>
    public void Validate(string operation, RequestTarget.Objects target, JsonObject obj, JsonObject? old, bool dryRun)
    {
        if (target.Subresource is not null || rules.Count == 0)
        {
            return;
        }

        var request = new AdmissionRequest(operation, target.Type.Group, target.Type.Plural, target.Namespace, NameForAdmission(obj),
            SandboxObject.From(obj), old is null ? null : SandboxObject.From(old), dryRun);
        foreach (var rule in rules.Where(r => r.Operations.Contains(operation)))
        {
            if (rule.Precondition(request) is { } refused)
            {
                throw refused;
            }

            if (rule.Check(request) is { } why)
            {
                throw rule.Refusal(request, why);
            }
        }
    }

    /// <summary>The name admission errors carry: the object's, its generateName, or "Unknown".</summary>
    private static string NameForAdmission(JsonObject obj) =>
        obj["metadata"]?["name"]?.GetValue<string>() is { Length: > 0 } name ? name
        : obj["metadata"]?["generateName"]?.GetValue<string>() is { Length: > 0 } prefix ? prefix
        : "Unknown";

    /// <summary>DefaultStorageClass: a claim that names no class gets the default one, if there is one.</summary>
    private void DefaultStorageClass(JsonObject claim)
    {
        if (claim["spec"] is not JsonObject spec || spec.ContainsKey("storageClassName"))
        {
            return; // an explicit "" asks for no class, and is kept
        }

        var classes = store.FindType("storage.k8s.io", "storageclasses")!;
        var defaults = store.Open(classes).Items
            .Select(c => c.ToJson("storage.k8s.io/v1", "StorageClass"))
            .Where(c => c["metadata"]?["annotations"]?["storageclass.kubernetes.io/is-default-class"]?.GetValue<string>() == "true")
            .OrderByDescending(c => c["metadata"]?["creationTimestamp"]?.GetValue<string>(), StringComparer.Ordinal)
            .ThenBy(c => c["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        if (defaults.Count > 0)
        {
            spec["storageClassName"] = defaults[0]["metadata"]!["name"]!.GetValue<string>();
        }
    }
}
