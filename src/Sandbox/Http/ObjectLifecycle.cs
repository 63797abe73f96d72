using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>
/// What the API server sets on objects as they are created and updated: uid, creationTimestamp,
/// generation, managedFields; and the per-type behaviour a backup tool meets (Namespace phase,
/// Service cluster IPs, Secret stringData, CRD registration).
/// </summary>
internal sealed partial class ObjectLifecycle(TimeProvider time)
{
    private int _nextClusterIp = 10;

    public void PrepareCreate(RequestTarget.Objects target, JsonObject obj, string manager)
    {
        var type = target.Type;
        var metadata = Metadata(obj);
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            name = prefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))[..5];
            metadata["name"] = name;
        }

        if (string.IsNullOrEmpty(name))
        {
            throw ApiError.Invalid(type.Kind, string.Empty, "metadata.name", "Required value: name or generateName is required", type.Group);
        }

        ValidateName(type, name);
        if (metadata["resourceVersion"] is not null)
        {
            throw ApiError.Internal("resourceVersion should not be set on objects to be created");
        }

        var now = Timestamp();
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = now;
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        if (type.HasGeneration || type.IsCustom)
        {
            metadata["generation"] = 1;
        }

        if (type.IsCustom && type.Subresources.Contains("status"))
        {
            // As the custom resource strategy: with a status subresource, a create sets no status; the controller writes it.
            obj.Remove("status");
        }

        metadata["managedFields"] = new JsonArray(ManagedFields.Entry(obj, manager, "Update", target.ApiVersion, now));
        ApplyTypeDefaults(type, obj, name, creating: true);
    }

    public void PrepareUpdate(RequestTarget.Objects target, JsonObject obj, JsonObject existing, string manager)
    {
        var type = target.Type;
        var metadata = Metadata(obj);
        var current = Metadata(existing);
        metadata["uid"] = current["uid"]?.DeepClone();
        metadata["creationTimestamp"] = current["creationTimestamp"]?.DeepClone();
        metadata.Remove("resourceVersion");
        foreach (var field in (string[])["deletionTimestamp", "deletionGracePeriodSeconds"])
        {
            // Set by a DELETE only: clients can neither set nor clear them.
            metadata.Remove(field);
            if (current[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }

        if (target.Subresource == "status")
        {
            // Only status changes through the status subresource.
            KeepAllBut(obj, existing, "status");
        }
        else if (target.Subresource == "finalize")
        {
            // ... only spec.finalizers through a namespace's finalize subresource.
            var finalizers = obj["spec"]?["finalizers"]?.DeepClone();
            KeepAllBut(obj, existing, "spec");
            obj["spec"] = existing["spec"]?.DeepClone() ?? new JsonObject();
            obj["spec"]!["finalizers"] = finalizers ?? new JsonArray();
        }
        else if (type.Subresources.Contains("status"))
        {
            // ... and not through the main resource.
            obj["status"] = existing["status"]?.DeepClone();
            if (obj["status"] is null)
            {
                obj.Remove("status");
            }

            if (type.Key == "namespaces")
            {
                // spec.finalizers changes through the finalize subresource only.
                var spec = obj["spec"] as JsonObject ?? (JsonObject)(obj["spec"] = new JsonObject());
                spec.Remove("finalizers");
                if (existing["spec"]?["finalizers"] is { } finalizers)
                {
                    spec["finalizers"] = finalizers.DeepClone();
                }
            }
        }

        // After the subresource rules: a write to status cannot move the spec, nor the generation.
        if (type.HasGeneration || type.IsCustom)
        {
            var generation = current["generation"]?.GetValue<long>() ?? 1;
            var specChanged = obj["spec"]?.ToJsonString() != existing["spec"]?.ToJsonString();
            metadata["generation"] = specChanged ? generation + 1 : generation;
        }

        var now = Timestamp();
        metadata["managedFields"] = target.Subresource is { } subresource
            ? ManagedFields.WithSubresourceEntry(current["managedFields"] as JsonArray, obj, manager, target.ApiVersion, now, subresource)
            : ManagedFields.WithEntry(current["managedFields"] as JsonArray, obj, manager, target.ApiVersion, now);
        ApplyTypeDefaults(type, obj, metadata["name"]!.GetValue<string>(), creating: false);
    }

    /// <summary>Whether an update leaves a deleted object with no finalizer: the registry then deletes it.</summary>
    public static bool IsFinalized(ResourceType type, JsonObject obj)
    {
        var metadata = Metadata(obj);
        return metadata["deletionTimestamp"] is not null
            && metadata["finalizers"] is not JsonArray { Count: > 0 }
            && (type.Key != "namespaces" || obj["spec"]?["finalizers"] is not JsonArray { Count: > 0 });
    }

    private static void KeepAllBut(JsonObject obj, JsonObject existing, string changeable)
    {
        var kept = obj[changeable]?.DeepClone();
        foreach (var (key, value) in existing)
        {
            if (key != changeable && key != "metadata")
            {
                obj[key] = value?.DeepClone();
            }
        }

        foreach (var key in obj.Select(p => p.Key).Where(k => k != changeable && k != "metadata" && !existing.ContainsKey(k)).ToList())
        {
            obj.Remove(key);
        }

        obj[changeable] = kept;
        if (kept is null)
        {
            obj.Remove(changeable);
        }

        // Labels, annotations and finalizers change through the resource, not a subresource.
        var metadata = Metadata(obj);
        var current = Metadata(existing);
        foreach (var field in (string[])["labels", "annotations", "finalizers", "ownerReferences"])
        {
            metadata.Remove(field);
            if (current[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }
    }

    private void ApplyTypeDefaults(ResourceType type, JsonObject obj, string name, bool creating)
    {
        switch (type.Key)
        {
            case "namespaces":
                // As the real server does (since 1.21): a label that lets selectors name a namespace.
                var metadata = Metadata(obj);
                var labels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
                labels["kubernetes.io/metadata.name"] = name;
                if (creating)
                {
                    // The namespace strategy: Active, and the "kubernetes" finalizer the namespace
                    // controller removes once the contents are gone.
                    var spec = obj["spec"] as JsonObject ?? (JsonObject)(obj["spec"] = new JsonObject());
                    var finalizers = spec["finalizers"] as JsonArray ?? (JsonArray)(spec["finalizers"] = new JsonArray());
                    if (!finalizers.Any(f => f?.GetValue<string>() == "kubernetes"))
                    {
                        finalizers.Add("kubernetes");
                    }

                    obj["status"] = new JsonObject { ["phase"] = "Active" };
                }

                break;
            case "persistentvolumeclaims" when creating:
                // Defaults a read shows at once: a claim is Pending until the binder binds it.
                if (obj["spec"] is JsonObject claimSpec)
                {
                    claimSpec["volumeMode"] ??= "Filesystem";
                    NormalizeDataSources(claimSpec);
                }

                obj["status"] ??= new JsonObject { ["phase"] = "Pending" };
                break;
            case "secrets":
                MergeStringData(obj);
                obj["type"] ??= "Opaque";
                break;
            case "services":
                AllocateClusterIp(obj);
                break;
            case "jobs.batch" when creating:
                JobSelector.Generate(obj, Metadata(obj)["uid"]!.GetValue<string>(), name);
                break;
            case "customresourcedefinitions.apiextensions.k8s.io":
                CustomResources.Validate(obj, name);
                CustomResources.MarkEstablished(obj, Timestamp());
                break;
        }
    }

    /// <summary>
    /// The claim strategy's NormalizeDataSources (AnyVolumeDataSource, on since 1.24): a claim created with only one of
    /// dataSource and dataSourceRef gets the other too — but not a dataSourceRef to another namespace, which dataSource
    /// cannot name.
    /// </summary>
    private static void NormalizeDataSources(JsonObject spec)
    {
        static JsonObject Copy(JsonObject reference)
        {
            var copy = new JsonObject();
            foreach (var field in (string[])["apiGroup", "kind", "name"])
            {
                if (reference[field] is { } value)
                {
                    copy[field] = value.DeepClone();
                }
            }

            return copy;
        }

        if (spec["dataSource"] is JsonObject source && spec["dataSourceRef"] is null)
        {
            spec["dataSourceRef"] = Copy(source);
        }
        else if (spec["dataSourceRef"] is JsonObject reference && spec["dataSource"] is null
            && reference["namespace"]?.GetValue<string>() is null or "")
        {
            spec["dataSource"] = Copy(reference);
        }
    }

    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            return;
        }

        var data = secret["data"] as JsonObject ?? new JsonObject();
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? string.Empty));
        }

        secret["data"] = data;
        secret.Remove("stringData");
    }

    private void AllocateClusterIp(JsonObject service)
    {
        var spec = service["spec"] as JsonObject ?? (JsonObject)(service["spec"] = new JsonObject());
        if (spec["type"]?.GetValue<string>() == "ExternalName")
        {
            return;
        }

        spec["type"] ??= "ClusterIP";
        var ip = spec["clusterIP"]?.GetValue<string>();
        if (string.IsNullOrEmpty(ip))
        {
            var n = Interlocked.Increment(ref _nextClusterIp);
            ip = $"10.96.{n / 250 % 250}.{(n % 250) + 1}";
            spec["clusterIP"] = ip;
        }

        spec["clusterIPs"] ??= new JsonArray(ip);
    }

    private static void ValidateName(ResourceType type, string name)
    {
        if (type.Group == "rbac.authorization.k8s.io")
        {
            // RBAC names are path segments: anything but '/', '%', "." and "..".
            if (name is "." or ".." || name.Contains('/') || name.Contains('%'))
            {
                throw ApiError.Invalid(type.Kind, name, "metadata.name", $"Invalid value: \"{name}\": may not contain '/' or '%'", type.Group);
            }

            return;
        }

        var label = type.Key == "namespaces";
        var valid = label ? name.Length <= 63 && DnsLabel().IsMatch(name) : name.Length <= 253 && DnsSubdomain().IsMatch(name);
        if (!valid)
        {
            var rule = label
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
            throw ApiError.Invalid(type.Kind, name, "metadata.name", $"Invalid value: \"{name}\": {rule}", type.Group);
        }
    }

    internal static JsonObject Metadata(JsonObject obj) =>
        obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    private string Timestamp() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
