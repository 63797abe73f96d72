using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads a policy's <c>restoreTargets</c>: the clusters its backups may be restored into when the control plane is
/// asked, as names, globs or tags (<c>tag:KEY[=VALUE]</c>). Absent: null (the policy's own clusters). Each entry must
/// select a configured cluster — a misspelt name must not silently allow nothing, or be mistaken for a cluster.
/// </summary>
internal static class RestoreTargetsReader
{
    public static IReadOnlyList<ClusterSelector>? Read(ConfigurationReader reader, YamlMappingNode policy, string policyPath, IReadOnlyList<ClusterDefinition> clusters)
    {
        if (reader.Child(policy, "restoreTargets") is not { } node)
        {
            return null;
        }

        var path = $"{policyPath}.restoreTargets";
        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(node, path, "expected a list of cluster names, globs or tags (tag:KEY or tag:KEY=VALUE)");
            return null;
        }

        var selectors = new List<ClusterSelector>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var entry = sequence.Children[i];
            if (reader.Scalar(entry, $"{path}[{i}]") is not { Length: > 0 } text)
            {
                continue;
            }

            var selector = new ClusterSelector(text);
            if (!clusters.Any(selector.Matches))
            {
                reader.Error(entry, $"{path}[{i}]", selector.IsName ? $"'{text}' is not a cluster in this file" : $"'{text}' matches no cluster");
                continue;
            }

            selectors.Add(selector);
        }

        return selectors;
    }
}
