using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>What a request path addresses.</summary>
internal abstract record RequestTarget
{
    public sealed record Version : RequestTarget;

    public sealed record Health : RequestTarget;

    public sealed record CoreVersions : RequestTarget;

    public sealed record Groups : RequestTarget;

    public sealed record Group(string Name) : RequestTarget;

    public sealed record ResourceList(string GroupName, string VersionName) : RequestTarget;

    public sealed record Objects(ResourceType Type, string VersionName, string? Namespace, string? Name, string? Subresource) : RequestTarget
    {
        public string ApiVersion => ResourceType.GroupVersion(Type.Group, VersionName);
    }

    /// <summary>Parses a path; null when nothing is served there.</summary>
    public static RequestTarget? Parse(string path, ObjectStore store)
    {
        var s = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (s)
        {
            case ["version"]:
                return new Version();
            case ["healthz" or "livez" or "readyz", ..]:
                return new Health();
            case ["api"]:
                return new CoreVersions();
            case ["apis"]:
                return new Groups();
            case ["apis", var g]:
                return new Group(g);
            case ["api", var v]:
                return new ResourceList(string.Empty, v);
            case ["apis", var g, var v]:
                return new ResourceList(g, v);
            case ["api", var v, .. var rest]:
                return ParseObjects(string.Empty, v, rest, store);
            case ["apis", var g, var v, .. var rest]:
                return ParseObjects(g, v, rest, store);
            default:
                return null;
        }
    }

    private static Objects? ParseObjects(string group, string version, string[] rest, ObjectStore store)
    {
        // /namespaces/{ns}/{resource}[/{name}[/{subresource}]] addresses namespaced objects;
        // /namespaces[/{name}[/{subresource}]] addresses Namespace objects themselves.
        if (rest is ["namespaces", var ns, var plural, .. var tail] && store.FindType(group, plural) is { Namespaced: true } namespaced)
        {
            return Served(namespaced, version) && tail.Length <= 2
                ? new Objects(namespaced, version, ns, tail.ElementAtOrDefault(0), tail.ElementAtOrDefault(1))
                : null;
        }

        if (rest is [var resource, .. var more] && store.FindType(group, resource) is { } type && more.Length <= 2 && Served(type, version))
        {
            return new Objects(type, version, null, more.ElementAtOrDefault(0), more.ElementAtOrDefault(1));
        }

        return null;
    }

    private static bool Served(ResourceType type, string version) => type.Versions.Contains(version);
}
