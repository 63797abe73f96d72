namespace Strata.Core.Artifacts;

/// <summary>
/// The parsed path of one object in <c>resources.tar.gz</c>:
/// <c>resources/{group or core}/{version}/{resource}/[namespaces/{ns}/]{name}.json</c>
/// (the inverse of <see cref="ArtifactLayout.ResourcePath"/>).
/// </summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">API version within the group.</param>
/// <param name="Resource">Plural resource name.</param>
/// <param name="Namespace">Namespace, or null for cluster-scoped objects.</param>
/// <param name="Name">Object name.</param>
public sealed record ResourceEntryPath(string Group, string Version, string Resource, string? Namespace, string Name)
{
    /// <summary>The group-qualified resource, e.g. <c>deployments.apps</c> or <c>secrets</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>
    /// Parses <paramref name="path"/>; false with the reason when it is not an object path of the
    /// layout or could leave its folder (absolute, <c>..</c>, backslashes, empty segments).
    /// </summary>
    public static bool TryParse(string path, out ResourceEntryPath? entry, out string? error)
    {
        entry = null;
        error = Unsafe(path);
        if (error is not null)
        {
            return false;
        }

        var segments = path.Split('/');
        if (segments[0] != "resources" || segments.Length is not (5 or 7) || !segments[^1].EndsWith(".json", StringComparison.Ordinal))
        {
            error = "not an object path (resources/{group}/{version}/{resource}/[namespaces/{namespace}/]{name}.json)";
            return false;
        }

        if (segments.Length == 7 && segments[4] != "namespaces")
        {
            error = "not an object path: the fifth segment must be 'namespaces'";
            return false;
        }

        var name = segments[^1][..^".json".Length];
        if (name.Length == 0)
        {
            error = "empty object name";
            return false;
        }

        entry = new ResourceEntryPath(
            segments[1] == "core" ? string.Empty : segments[1],
            segments[2],
            segments[3],
            segments.Length == 7 ? segments[5] : null,
            name);
        return true;
    }

    /// <summary>Why <paramref name="path"/> could escape the folder it is extracted into, or null when it cannot.</summary>
    public static string? Unsafe(string path)
    {
        if (path.Length == 0)
        {
            return "empty path";
        }

        if (path[0] == '/' || (path.Length > 1 && path[1] == ':'))
        {
            return "absolute path";
        }

        if (path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return "backslash or NUL in path";
        }

        foreach (var segment in path.TrimEnd('/').Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return segment == ".." ? "path climbs out of its folder ('..')" : "empty or '.' path segment";
            }
        }

        return null;
    }
}
