using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>The discovery documents: <c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/apis/{group}</c>, <c>/api[s]/.../{version}</c>.</summary>
internal static class DiscoveryDocuments
{
    public static JsonObject Version(string gitVersion)
    {
        var parts = gitVersion.TrimStart('v').Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.ElementAtOrDefault(1) ?? "0",
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2026-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.4",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(IEnumerable<ResourceType> types) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. GroupNames(types).Select(g => (JsonNode)Group(g, types))]),
    };

    public static JsonObject? GroupDocument(string name, IEnumerable<ResourceType> types)
    {
        if (!GroupNames(types).Contains(name))
        {
            return null;
        }

        var group = Group(name, types);
        group["kind"] = "APIGroup";
        group["apiVersion"] = "v1";
        return group;
    }

    public static JsonObject? ResourceList(string group, string version, IEnumerable<ResourceType> types)
    {
        var served = types.Where(t => t.Group == group && t.Versions.Contains(version)).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in served)
        {
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray([.. type.Verbs.Select(v => (JsonNode)v)]),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray([.. type.ShortNames.Select(n => (JsonNode)n)]);
            }

            if (type.IsCustom)
            {
                entry["categories"] = new JsonArray("all");
            }

            entry["storageVersionHash"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(type.Key + version))[..8]);
            resources.Add(entry);
            foreach (var sub in type.Subresources)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{type.Plural}/{sub}",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = sub == "scale" ? "Scale" : type.Kind,
                    ["verbs"] = sub is "status" or "scale" ? new JsonArray("get", "patch", "update") : new JsonArray("get"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = ResourceType.GroupVersion(group, version),
            ["resources"] = resources,
        };
    }

    private static IEnumerable<string> GroupNames(IEnumerable<ResourceType> types) =>
        types.Select(t => t.Group).Where(g => g.Length > 0).Distinct().OrderBy(g => g, StringComparer.Ordinal);

    private static JsonObject Group(string name, IEnumerable<ResourceType> types)
    {
        var versions = types.Where(t => t.Group == name).SelectMany(t => t.Versions).Distinct().OrderBy(VersionPriority).ToList();
        JsonObject Entry(string v) => new() { ["groupVersion"] = $"{name}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Entry(v))]),
            ["preferredVersion"] = Entry(versions[0]),
        };
    }

    /// <summary>Kubernetes version priority: GA before beta before alpha, higher numbers first.</summary>
    internal static (int, int, int) VersionPriority(string version)
    {
        var m = System.Text.RegularExpressions.Regex.Match(version, @"^v(\d+)(?:(alpha|beta)(\d+))?$");
        if (!m.Success)
        {
            return (3, 0, 0);
        }

        var stability = m.Groups[2].Value switch { "" => 0, "beta" => 1, _ => 2 };
        return (stability, -int.Parse(m.Groups[1].Value), m.Groups[3].Success ? -int.Parse(m.Groups[3].Value) : 0);
    }
}
