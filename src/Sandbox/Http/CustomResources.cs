using System.Text.Json.Nodes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>CustomResourceDefinitions: validation, the Established condition, and the resource type they serve.</summary>
internal static class CustomResources
{
    public static void Validate(JsonObject crd, string name)
    {
        var spec = crd["spec"] as JsonObject ?? throw Invalid(name, "spec", "Required value");
        var group = spec["group"]?.GetValue<string>();
        var names = spec["names"] as JsonObject;
        var plural = names?["plural"]?.GetValue<string>();
        if (string.IsNullOrEmpty(group) || !group.Contains('.'))
        {
            throw Invalid(name, "spec.group", $"Invalid value: \"{group}\": should be a domain with at least one dot");
        }

        if (string.IsNullOrEmpty(plural) || string.IsNullOrEmpty(names?["kind"]?.GetValue<string>()))
        {
            throw Invalid(name, "spec.names", "Required value: plural and kind are required");
        }

        if (name != $"{plural}.{group}")
        {
            throw Invalid(name, "metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group");
        }

        if (spec["scope"]?.GetValue<string>() is not ("Namespaced" or "Cluster"))
        {
            throw Invalid(name, "spec.scope", "Unsupported value: supported values: \"Cluster\", \"Namespaced\"");
        }

        if (spec["versions"] is not JsonArray { Count: > 0 } versions
            || versions.OfType<JsonObject>().Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
        {
            throw Invalid(name, "spec.versions", "Invalid value: must have exactly one version marked as storage version");
        }
    }

    /// <summary>Drops what the schema of <paramref name="version"/> does not allow (for a custom resource with one).</summary>
    public static void Prune(ResourceType type, string version, JsonObject obj) =>
        type.Schemas.GetValueOrDefault(version)?.Prune(obj);

    /// <summary>
    /// Validates a custom resource against the schema of <paramref name="version"/> and its CEL rules (<paramref name="old"/>:
    /// the stored object, on an update): 422 Invalid with every cause.
    /// </summary>
    public static void ValidateObject(ResourceType type, string version, JsonObject obj, string name, JsonObject? old = null)
    {
        if (type.Schemas.GetValueOrDefault(version) is { } schema && (IReadOnlyList<FieldError>)[.. schema.Validate(obj), .. schema.ValidateRules(obj, old)] is { Count: > 0 } errors)
        {
            throw ApiError.Invalid(type.Kind, type.Group, name, errors);
        }
    }

    public static void MarkEstablished(JsonObject crd, string now)
    {
        var spec = crd["spec"]!.AsObject();
        var storage = spec["versions"]!.AsArray().OfType<JsonObject>().First(v => v["storage"]?.GetValue<bool>() == true);
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["acceptedNames"] = spec["names"]!.DeepClone(),
            ["storedVersions"] = new JsonArray(storage["name"]!.GetValue<string>()),
        };
    }

    /// <summary>The status a CRD has before it is Established: names accepted, not yet served.</summary>
    public static void MarkInstalling(JsonObject crd)
    {
        var status = crd["status"]!.AsObject();
        var established = status["conditions"]!.AsArray().OfType<JsonObject>().First(c => c["type"]!.GetValue<string>() == "Established");
        established["status"] = "False";
        established["reason"] = "Installing";
        established["message"] = "the initial names have been accepted";
    }

    public static ResourceType ToResourceType(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var versions = spec["versions"]!.AsArray().OfType<JsonObject>()
            .Where(v => v["served"]?.GetValue<bool>() != false)
            .Select(v => v["name"]!.GetValue<string>())
            .OrderBy(DiscoveryDocuments.VersionPriority)
            .ToList();
        var subresources = spec["versions"]!.AsArray().OfType<JsonObject>()
            .SelectMany(v => (v["subresources"] as JsonObject)?.Select(p => p.Key) ?? [])
            .Distinct()
            .ToList();
        var kind = names["kind"]!.GetValue<string>();
        return new ResourceType
        {
            Group = spec["group"]!.GetValue<string>(),
            Versions = versions,
            Plural = names["plural"]!.GetValue<string>(),
            Singular = names["singular"]?.GetValue<string>() ?? kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = spec["scope"]!.GetValue<string>() == "Namespaced",
            ShortNames = (names["shortNames"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? [],
            Subresources = subresources,
            IsCustom = true,
            HasGeneration = true,
            Schemas = StructuralSchema.OfVersions(crd),
        };
    }

    private static ApiError Invalid(string name, string field, string detail) =>
        ApiError.Invalid("CustomResourceDefinition", name, field, detail, "apiextensions.k8s.io");
}
