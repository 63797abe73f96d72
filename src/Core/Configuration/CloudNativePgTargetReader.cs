using Strata.Core.Databases.CloudNativePg;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads a policy's <c>cloudNativePG:</c>: each CloudNativePG Cluster's namespace and name, the backup method (default:
/// as the Cluster is configured) and how long to wait for the operator; every problem located.
/// </summary>
internal static class CloudNativePgTargetReader
{
    public static IReadOnlyList<CloudNativePgTarget> ReadAll(ConfigurationReader reader, YamlMappingNode policy, string policyPath)
    {
        var targets = reader.List(policy, "cloudNativePG", required: false, Read, policyPath);
        foreach (var duplicate in targets.GroupBy(t => t.Qualified, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error(duplicate.Last().Line, $"{policyPath}.cloudNativePG", $"Cluster {duplicate.Key} is listed twice");
        }

        return targets;
    }

    private static CloudNativePgTarget? Read(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "namespace", "cluster", "method", "timeout");
        var ns = Label(reader, map, path, "namespace", "the Cluster's namespace");
        var cluster = Label(reader, map, path, "cluster", "the name of the CloudNativePG Cluster");
        CloudNativePgMethod? method = null;
        if (reader.OptionalString(map, path, "method") is { } text)
        {
            method = CloudNativePgApi.ParseMethod(text);
            if (method is null)
            {
                reader.Error(reader.Child(map, "method")!, $"{path}.method", $"'{text}' is not barmanObjectStore, volumeSnapshot or plugin (leave it out to back up as the Cluster is configured)");
            }
        }

        return ns is null || cluster is null ? null : new CloudNativePgTarget
        {
            Namespace = ns,
            Cluster = cluster,
            Method = method,
            Timeout = reader.Duration(map, path, "timeout") ?? CloudNativePgTarget.DefaultTimeout,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    /// <summary>A required DNS-1123 label (a namespace's or a Cluster's name).</summary>
    private static string? Label(ConfigurationReader reader, YamlMappingNode map, string path, string key, string what)
    {
        if (reader.Child(map, key) is not { } node)
        {
            reader.Error(map, $"{path}.{key}", $"'{key}' is required: {what}");
            return null;
        }

        var value = reader.Scalar(node, $"{path}.{key}");
        if (value is not null && (value.Length is 0 or > 63 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || value[0] == '-' || value[^1] == '-'))
        {
            reader.Error(node, $"{path}.{key}", $"'{value}' is not a Kubernetes name: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit");
            return null;
        }

        return value;
    }
}
