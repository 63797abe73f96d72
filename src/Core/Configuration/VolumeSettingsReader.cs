using Strata.Core.Kubernetes;
using Strata.Core.Volumes;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads a policy's <c>volumes:</c> — <c>snapshot</c>, <c>skip</c>, or the map with the claims' selector, the
/// VolumeSnapshotClass per StorageClass or driver, the timeout, the concurrency and the hooks; every problem located.
/// </summary>
internal static class VolumeSettingsReader
{
    private const string Modes = "'snapshot' (a CSI VolumeSnapshot of every selected claim in scope) or 'skip'";

    public static VolumeSettings Read(ConfigurationReader reader, YamlMappingNode policy, string policyPath)
    {
        var path = $"{policyPath}.volumes";
        if (reader.Child(policy, "volumes") is not { } node)
        {
            return VolumeSettings.Skip;
        }

        if (node is YamlScalarNode scalar)
        {
            return Mode(reader, scalar, path) is { } mode ? VolumeSettings.Skip with { Mode = mode } : VolumeSettings.Skip;
        }

        if (reader.Mapping(node, path) is not { } map)
        {
            return VolumeSettings.Skip;
        }

        reader.OnlyKeys(map, path, "mode", "selector", "classes", "timeout", "concurrency", "pollInterval", "hooks");
        var defaults = new VolumeSettings();
        VolumeSnapshotMode? chosen = null;
        if (reader.Child(map, "mode") is { } modeNode)
        {
            chosen = modeNode is YamlScalarNode modeScalar ? Mode(reader, modeScalar, $"{path}.mode") : Invalid(reader, modeNode, $"{path}.mode");
        }
        else
        {
            reader.Error(map, $"{path}.mode", $"'mode' is required: {Modes}");
        }

        return defaults with
        {
            Mode = chosen ?? VolumeSnapshotMode.Skip,
            Selector = Selector(reader, map, path, "selector") ?? LabelSelector.Everything,
            Classes = reader.List(map, "classes", required: false, ClassRule, path),
            Timeout = reader.Duration(map, path, "timeout") ?? defaults.Timeout,
            Concurrency = reader.OptionalInt(map, path, "concurrency", 1, 256) ?? defaults.Concurrency,
            PollInterval = reader.Duration(map, path, "pollInterval") ?? defaults.PollInterval,
            Hooks = Hooks(reader, map, path),
        };
    }

    private static VolumeSnapshotMode? Mode(ConfigurationReader reader, YamlScalarNode node, string path)
    {
        switch (node.Value)
        {
            case "snapshot":
                return VolumeSnapshotMode.Snapshot;
            case "skip":
                return VolumeSnapshotMode.Skip;
            default:
                reader.Error(node, path, $"'{node.Value}' is not {Modes}");
                return null;
        }
    }

    private static VolumeSnapshotMode? Invalid(ConfigurationReader reader, YamlNode node, string path)
    {
        reader.Error(node, path, $"expected {Modes}");
        return null;
    }

    private static LabelSelector? Selector(ConfigurationReader reader, YamlMappingNode map, string path, string key)
    {
        if (reader.Child(map, key) is not { } node || reader.Scalar(node, $"{path}.{key}") is not { } text)
        {
            return null;
        }

        if (LabelSelector.TryParse(text, out var selector, out var error))
        {
            return selector;
        }

        reader.Error(node, $"{path}.{key}", error ?? "invalid label selector");
        return null;
    }

    private static SnapshotClassRule? ClassRule(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "storageClass", "driver", "volumeSnapshotClassName");
        var storageClass = reader.OptionalString(map, path, "storageClass");
        var driver = reader.OptionalString(map, path, "driver");
        var name = reader.OptionalString(map, path, "volumeSnapshotClassName");
        if ((storageClass is null) == (driver is null))
        {
            reader.Error(map, path, "give one of 'storageClass' (the claims' StorageClass) or 'driver' (their CSI driver), not "
                + (storageClass is null ? "neither" : "both"));
        }

        if (name is null)
        {
            reader.Error(map, $"{path}.volumeSnapshotClassName", "'volumeSnapshotClassName' is required: the VolumeSnapshotClass the snapshots are taken with");
        }
        else if (!KubernetesNames.IsSubdomain(name))
        {
            reader.Error(reader.Child(map, "volumeSnapshotClassName")!, $"{path}.volumeSnapshotClassName", $"'{name}' is not a Kubernetes object name (a DNS-1123 subdomain)");
        }

        return name is null || (storageClass is null) == (driver is null) ? null
            : new SnapshotClassRule { StorageClass = storageClass, Driver = driver, VolumeSnapshotClassName = name, Field = path };
    }

    private static IReadOnlyList<VolumeHook> Hooks(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        var hooks = reader.List(map, "hooks", required: false, Hook, path);
        foreach (var duplicate in hooks.GroupBy(h => h.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error(map, $"{path}.hooks", $"two hooks are named '{duplicate.Key}'");
        }

        return hooks;
    }

    private static VolumeHook? Hook(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "name", "namespace", "selector", "container", "pre", "post");
        var name = reader.Name(map, path);
        var pre = reader.List(map, "pre", required: false, Command, path);
        var post = reader.List(map, "post", required: false, Command, path);
        if (reader.Child(map, "pre") is null && reader.Child(map, "post") is null)
        {
            reader.Error(map, path, "give 'pre' or 'post' commands (or both)");
        }

        return name is null ? null : new VolumeHook
        {
            Name = name,
            Namespace = reader.OptionalString(map, path, "namespace"),
            Selector = Selector(reader, map, path, "selector") ?? LabelSelector.Everything,
            Container = reader.OptionalString(map, path, "container"),
            Pre = pre,
            Post = post,
        };
    }

    private static HookCommand? Command(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "command", "timeout", "onError");
        var command = reader.List(map, "command", required: true, (r, n, p) => r.Scalar(n, p), path);
        if (command.Count > 0 && command[0].Length == 0)
        {
            reader.Error(reader.Child(map, "command")!, $"{path}.command", "the program (the first element) is empty");
        }

        var onError = HookErrorMode.Fail;
        if (reader.Child(map, "onError") is { } onErrorNode && reader.Scalar(onErrorNode, $"{path}.onError") is { } text)
        {
            if (HookErrorModes.TryParse(text) is { } mode)
            {
                onError = mode;
            }
            else
            {
                reader.Error(onErrorNode, $"{path}.onError", $"'{text}' is not Fail or Continue");
            }
        }

        return command.Count == 0 ? null : new HookCommand(command, reader.Duration(map, path, "timeout"), onError);
    }
}
