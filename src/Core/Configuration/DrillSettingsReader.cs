using Strata.Core.Drills;
using Strata.Core.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads <c>verification.drill</c>: every problem located (a target that is not a configured cluster,
/// an unknown mode, a JSONPath that does not parse — at the character where it goes wrong). The etcd rebuild drill
/// (<c>mode: etcdRestore</c>) needs the policy's etcd snapshot and takes none of a scratch drill's settings.
/// </summary>
internal static class DrillSettingsReader
{
    private const int MaxPrefixLength = 40;

    public static DrillSettings? Read(
        ConfigurationReader reader, YamlMappingNode verification, string verificationPath, TimeZoneInfo policyZone, IReadOnlyList<ClusterDefinition> clusters,
        Etcd.EtcdSettings? etcd = null)
    {
        if (reader.Child(verification, "drill") is not { } node)
        {
            return null;
        }

        var path = $"{verificationPath}.drill";
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "schedule", "timeZone", "target", "mode", "prefix", "readiness", "assertions", "timeout", "rto", "keepOnFailure");
        var defaults = new DrillSettings();
        var mode = Mode(reader, map, path);
        var assertions = reader.List(map, "assertions", required: false, ReadAssertion, path);
        if (mode == DrillMode.DryRun && assertions.Count > 0)
        {
            reader.Error(reader.Child(map, "assertions")!, $"{path}.assertions", "assertions apply to scratch drills: a dryRun drill persists nothing to assert on");
        }

        if (mode == DrillMode.EtcdRestore)
        {
            EtcdRestore(reader, map, path, etcd);
        }

        return new DrillSettings
        {
            Schedule = reader.Cron(map, path, "schedule", required: false),
            TimeZone = reader.TimeZone(map, path, "timeZone") ?? policyZone,
            Target = Target(reader, map, path, clusters),
            Mode = mode,
            Prefix = Prefix(reader, map, path) ?? defaults.Prefix,
            Readiness = reader.OptionalBool(map, path, "readiness") ?? defaults.Readiness,
            Assertions = assertions,
            Timeout = Capped(reader, map, path, "timeout") ?? defaults.Timeout,
            RecoveryTimeObjective = Capped(reader, map, path, "rto"),
            KeepOnFailure = reader.OptionalBool(map, path, "keepOnFailure") ?? defaults.KeepOnFailure,
        };
    }

    private static DrillMode Mode(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        if (reader.Child(map, "mode") is not { } node || reader.Scalar(node, $"{path}.mode") is not { } text)
        {
            return DrillMode.Scratch;
        }

        switch (text)
        {
            case "scratch":
                return DrillMode.Scratch;
            case "dryRun":
                return DrillMode.DryRun;
            case "etcdRestore":
                return DrillMode.EtcdRestore;
            default:
                var near = new[] { "scratch", "dryRun", "etcdRestore" }.FirstOrDefault(m => m.Equals(text, StringComparison.OrdinalIgnoreCase) || m.Equals(text.Replace("-", ""), StringComparison.OrdinalIgnoreCase));
                reader.Error(node, $"{path}.mode", $"unknown mode '{text}': scratch (restore into scratch namespaces and wait for the assertions), dryRun (server-side validation, nothing persisted)"
                    + " or etcdRestore (rebuild the etcd snapshot on a throwaway member and count its keys)"
                    + (near is null ? "" : $"; did you mean '{near}'?"));
                return DrillMode.Scratch;
        }
    }

    /// <summary>
    /// The rebuild drill restores the backup's etcd snapshot on the runner, touching no cluster: the policy must take
    /// one, and what steers a restore into scratch namespaces (target, prefix, readiness, assertions) has nothing to steer.
    /// </summary>
    private static void EtcdRestore(ConfigurationReader reader, YamlMappingNode map, string path, Etcd.EtcdSettings? etcd)
    {
        var modeNode = reader.Child(map, "mode")!;
        if (etcd is null)
        {
            reader.Error(modeNode, $"{path}.mode", "etcdRestore rebuilds the backup's etcd snapshot, and this policy takes none: add 'etcd: {}' to the policy (its clusters need 'etcd:' endpoints)");
        }
        else if (!etcd.Snapshot)
        {
            reader.Error(modeNode, $"{path}.mode", "etcdRestore rebuilds the backup's etcd snapshot, and this policy's 'etcd.snapshot' is false");
        }

        foreach (var field in new[] { "target", "prefix", "readiness", "assertions", "keepOnFailure" })
        {
            if (reader.Child(map, field) is { } node)
            {
                reader.Error(node, $"{path}.{field}", $"'{field}' steers a restore into a cluster's scratch namespaces; an etcdRestore drill rebuilds the snapshot on this runner and touches no cluster");
            }
        }
    }

    /// <summary>A duration of at most <see cref="DrillSettings.MaxDuration"/>: the worker adds it to dates.</summary>
    private static TimeSpan? Capped(ConfigurationReader reader, YamlMappingNode map, string path, string key)
    {
        if (reader.Duration(map, path, key) is not { } duration)
        {
            return null;
        }

        if (duration <= DrillSettings.MaxDuration)
        {
            return duration;
        }

        reader.Error(reader.Child(map, key)!, $"{path}.{key}",
            $"'{reader.OptionalString(map, path, key)}' is longer than a drill may take ({DurationText.Format(DrillSettings.MaxDuration)} at most)");
        return null;
    }

    private static string? Target(ConfigurationReader reader, YamlMappingNode map, string path, IReadOnlyList<ClusterDefinition> clusters)
    {
        if (reader.OptionalString(map, path, "target") is not { } target)
        {
            return null;
        }

        if (clusters.Any(c => c.Name == target))
        {
            return target;
        }

        reader.Error(reader.Child(map, "target")!, $"{path}.target",
            $"'{target}' is not a cluster in {reader.Source} (clusters: {string.Join(", ", clusters.Select(c => c.Name))})");
        return null;
    }

    private static string? Prefix(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        if (reader.OptionalString(map, path, "prefix") is not { } prefix)
        {
            return null;
        }

        var sample = prefix.Replace(DrillSettings.IdPlaceholder, "0a1b2c", StringComparison.Ordinal);
        if (sample.Length is 0 or > MaxPrefixLength || !sample.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || sample[0] == '-' || sample[^1] == '-')
        {
            reader.Error(reader.Child(map, "prefix")!, $"{path}.prefix",
                $"'{prefix}' must be 1-{MaxPrefixLength} lowercase letters, digits or '-' (and {DrillSettings.IdPlaceholder}), starting and ending with a letter or digit: "
                + "scratch namespaces are named {prefix}-{namespace}");
            return null;
        }

        return prefix;
    }

    private static DrillAssertion? ReadAssertion(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "resource", "kind", "namespace", "name", "exists", "condition", "jsonPath", "equals");
        var resource = reader.OptionalString(map, path, "resource");
        var kind = reader.OptionalString(map, path, "kind");
        if ((resource is null) == (kind is null))
        {
            reader.Error(map, path, resource is null
                ? "name the object's type with 'resource' (e.g. deployments.apps) or 'kind' (e.g. Deployment)"
                : "give 'resource' or 'kind', not both");
        }

        var name = reader.OptionalString(map, path, "name");
        if (name is null)
        {
            reader.Error(map, $"{path}.name", "'name' is required (the object's name)");
        }

        var checks = new[] { "exists", "condition", "jsonPath" }.Where(k => reader.Child(map, k) is not null).ToList();
        if (checks.Count != 1)
        {
            reader.Error(map, path, checks.Count == 0
                ? "say what to assert: 'exists: true', 'condition: Available=True', or 'jsonPath' with 'equals'"
                : $"one check per assertion; this one has {string.Join(" and ", checks)}");
        }

        if (reader.OptionalBool(map, path, "exists") is false)
        {
            reader.Error(reader.Child(map, "exists")!, $"{path}.exists", "only 'exists: true' is read: a drill asserts what a restore brings back");
        }

        ExpectedCondition? condition = null;
        if (reader.Child(map, "condition") is { } conditionNode && reader.Scalar(conditionNode, $"{path}.condition") is { } conditionText
            && !ExpectedCondition.TryParse(conditionText, out condition, out var conditionError))
        {
            reader.Error(conditionNode, $"{path}.condition", conditionError!);
        }

        var jsonPath = ReadJsonPath(reader, map, path);
        var expected = reader.OptionalString(map, path, "equals");
        if (reader.Child(map, "jsonPath") is not null && reader.Child(map, "equals") is null)
        {
            reader.Error(map, $"{path}.equals", "'jsonPath' needs 'equals': the value it must print (e.g. equals: '3')");
        }
        else if (reader.Child(map, "jsonPath") is null && reader.Child(map, "equals") is { } equalsNode)
        {
            reader.Error(equalsNode, $"{path}.equals", "'equals' goes with 'jsonPath'");
        }

        var type = resource ?? kind;
        return type is null || name is null ? null : new DrillAssertion
        {
            Resource = type,
            Namespace = reader.OptionalString(map, path, "namespace"),
            Name = name,
            Condition = condition,
            JsonPath = jsonPath,
            Expected = expected,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static JsonPath? ReadJsonPath(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        if (reader.Child(map, "jsonPath") is not { } node || reader.Scalar(node, $"{path}.jsonPath") is not { } text)
        {
            return null;
        }

        if (JsonPath.TryParse(text, out var parsed, out var error))
        {
            return parsed;
        }

        reader.Error((YamlScalarNode)node, error!.Offset, $"{path}.jsonPath", $"malformed JSONPath '{text}' {error}");
        return null;
    }
}
