using Strata.Core.Etcd;
using Strata.Core.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads a policy's <c>etcd:</c> — whether each backup snapshots etcd, how long it may take, and the control plane's own
/// files (<c>controlPlaneFiles:</c>: the Pod's image, namespace, the root and the paths under it, kubeconfigs, the
/// nodes' selector) — every problem located.
/// </summary>
internal static class EtcdSettingsReader
{
    public static EtcdSettings? Read(ConfigurationReader reader, YamlMappingNode policy, string policyPath)
    {
        var path = $"{policyPath}.etcd";
        if (reader.Child(policy, "etcd") is not { } node || reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "snapshot", "timeout", "controlPlaneFiles");
        var defaults = new EtcdSettings();
        var snapshot = reader.OptionalBool(map, path, "snapshot") ?? defaults.Snapshot;
        var files = ReadFiles(reader, map, path);
        if (!snapshot && reader.Child(map, "controlPlaneFiles") is null)
        {
            reader.Error(map, path, "'snapshot: false' without 'controlPlaneFiles' takes nothing: remove 'etcd:' or name the control-plane files");
        }

        return new EtcdSettings
        {
            Snapshot = snapshot,
            Timeout = reader.Duration(map, path, "timeout") ?? defaults.Timeout,
            ControlPlaneFiles = files,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static ControlPlaneFilesSettings? ReadFiles(ConfigurationReader reader, YamlMappingNode etcd, string etcdPath)
    {
        var path = $"{etcdPath}.controlPlaneFiles";
        if (reader.Child(etcd, "controlPlaneFiles") is not { } node || reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "image", "namespace", "root", "paths", "kubeconfigs", "allowUnencryptedKeys", "nodeSelector", "timeout");
        var image = reader.OptionalString(map, path, "image");
        if (string.IsNullOrWhiteSpace(image))
        {
            reader.Error(map, $"{path}.image", "'image' is required: a minimal image with sh and tar (busybox:1.36) that the control-plane nodes can pull");
        }
        else if (image.Any(char.IsWhiteSpace))
        {
            reader.Error(reader.Child(map, "image")!, $"{path}.image", $"'{image}' is not an image reference");
        }

        var ns = reader.OptionalString(map, path, "namespace");
        if (ns is not null && (ns.Length > 63 || ns.Contains('.', StringComparison.Ordinal) || !KubernetesNames.IsSubdomain(ns)))
        {
            reader.Error(reader.Child(map, "namespace")!, $"{path}.namespace", $"'{ns}' is not a namespace name (1-63 lowercase letters, digits or '-')");
        }

        var root = reader.OptionalString(map, path, "root");
        if (root is not null && (!root.StartsWith('/') || root.Split('/').Any(s => s == "..")))
        {
            reader.Error(reader.Child(map, "root")!, $"{path}.root", $"'{root}' is not an absolute folder without '..' (/etc/kubernetes)");
        }

        var paths = reader.List(map, "paths", required: false, EntryPath, path);
        if (reader.Child(map, "paths") is YamlSequenceNode { Children.Count: 0 } emptyPaths)
        {
            reader.Error(emptyPaths, $"{path}.paths", "must not be empty (leave it out for [pki, manifests])");
        }

        foreach (var duplicate in paths.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error(reader.Child(map, "paths")!, $"{path}.paths", $"'{duplicate.Key}' is named twice");
        }

        var defaults = new ControlPlaneFilesSettings { Image = "" };
        return string.IsNullOrWhiteSpace(image) ? null : new ControlPlaneFilesSettings
        {
            Image = image,
            Namespace = ns ?? defaults.Namespace,
            Root = root is { Length: > 1 } ? root.TrimEnd('/') : root ?? defaults.Root,
            Paths = paths.Count > 0 ? paths : defaults.Paths,
            Kubeconfigs = reader.OptionalBool(map, path, "kubeconfigs") ?? defaults.Kubeconfigs,
            AllowUnencryptedKeys = reader.OptionalBool(map, path, "allowUnencryptedKeys") ?? defaults.AllowUnencryptedKeys,
            NodeSelector = NodeSelector(reader, map, path) ?? defaults.NodeSelector,
            Timeout = reader.Duration(map, path, "timeout") ?? defaults.Timeout,
        };
    }

    private static string? EntryPath(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Scalar(node, path) is not { } text)
        {
            return null;
        }

        var entry = text.TrimEnd('/');
        if (text.StartsWith('/') || entry.Split('/').Any(s => s is "" or "." or ".."))
        {
            reader.Error(node, path, $"'{text}' is not a path relative to the root without '..' (pki, manifests, admin.conf)");
            return null;
        }

        return entry;
    }

    private static LabelSelector? NodeSelector(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        if (reader.Child(map, "nodeSelector") is not { } node || reader.Scalar(node, $"{path}.nodeSelector") is not { } text)
        {
            return null;
        }

        if (!LabelSelector.TryParse(text, out var selector, out var error))
        {
            reader.Error(node, $"{path}.nodeSelector", error ?? "invalid label selector");
            return null;
        }

        if (selector.IsEmpty)
        {
            reader.Error(node, $"{path}.nodeSelector", "an empty selector would copy from every node: name the control-plane nodes' label");
            return null;
        }

        return selector;
    }
}
