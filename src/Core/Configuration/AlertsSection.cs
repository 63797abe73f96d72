using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads <c>alerts:</c> — <c>statusPage</c>, <c>channels</c> and <c>routes</c> — with every problem located:
/// a URL written inline (refused without repeating it), a channel a route names that does not exist, a
/// field that does not belong to the channel's type.
/// </summary>
internal static class AlertsSection
{
    private const string Path = "alerts";

    private static readonly Dictionary<string, AlertChannelType> Types = new(StringComparer.Ordinal)
    {
        ["slack"] = AlertChannelType.Slack,
        ["teams"] = AlertChannelType.Teams,
        ["pagerduty"] = AlertChannelType.PagerDuty,
        ["webhook"] = AlertChannelType.Webhook,
    };

    private static readonly Dictionary<string, AlertSeverity> Severities = new(StringComparer.Ordinal)
    {
        ["info"] = AlertSeverity.Info,
        ["warning"] = AlertSeverity.Warning,
        ["critical"] = AlertSeverity.Critical,
    };

    public static AlertsDefinition Read(ConfigurationReader reader, YamlNode node, StrataConfiguration configuration)
    {
        if (reader.Mapping(node, Path) is not { } map)
        {
            return AlertsDefinition.None;
        }

        reader.OnlyKeys(map, Path, "statusPage", "channels", "routes");
        var statusPage = HttpsUrl(reader, map, Path, "statusPage");
        var channels = reader.List(map, "channels", required: true, ReadChannel, Path);
        foreach (var group in channels.GroupBy(c => c.Name).Where(g => g.Count() > 1))
        {
            reader.Error(group.Last().Line, $"{Path}.channels", $"'{group.Key}' is defined more than once (lines {string.Join(", ", group.Select(c => c.Line))})");
        }

        var names = channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var routes = reader.List(map, "routes", required: false, (r, n, p) => ReadRoute(r, n, p, names, configuration), Path);
        return new AlertsDefinition(channels, routes, statusPage);
    }

    private static AlertChannelDefinition? ReadChannel(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "name", "type", "url", "routingKey", "secret");
        var name = reader.Name(map, path);
        AlertChannelType? type = null;
        if (reader.Child(map, "type") is not { } typeNode)
        {
            reader.Error(map, $"{path}.type", "'type' is required (slack, teams, pagerduty or webhook)");
        }
        else if (reader.Scalar(typeNode, $"{path}.type") is { } text)
        {
            type = Types.TryGetValue(text, out var known) ? known : null;
            if (type is null)
            {
                reader.Error(typeNode, $"{path}.type", $"'{text}' is not slack, teams, pagerduty or webhook");
            }
        }

        if (type is not { } kind)
        {
            return null;
        }

        var line = ConfigurationReader.LineOf(map);
        if (kind == AlertChannelType.PagerDuty)
        {
            NotFor(reader, map, path, "secret", "webhook");
            var endpoint = reader.Child(map, "url") is YamlMappingNode reference
                ? Refuse(reader, reference, $"{path}.url", "PagerDuty's url is its public Events API endpoint, not a secret: write it as https://… (or leave it out for https://events.pagerduty.com/v2/enqueue); the routing key is the secret")
                : HttpsUrl(reader, map, path, "url");
            var routingKey = reader.Secret(map, path, "routingKey", "a PagerDuty routing key is a secret and is never written in strata.yaml");
            if (routingKey is null && reader.Child(map, "routingKey") is null)
            {
                reader.Error(map, $"{path}.routingKey", "'routingKey' is required for a pagerduty channel (the integration key of an Events API v2 integration)");
            }

            return name is null ? null : new AlertChannelDefinition
            {
                Name = name, Type = kind, Endpoint = endpoint ?? AlertChannelDefinition.PagerDutyEvents, RoutingKey = routingKey, Line = line,
            };
        }

        NotFor(reader, map, path, "routingKey", "pagerduty");
        if (kind != AlertChannelType.Webhook)
        {
            NotFor(reader, map, path, "secret", "webhook");
        }

        var url = reader.Secret(map, path, "url", "a webhook URL is a secret (whoever has it can post to the channel) and is never written in strata.yaml");
        if (url is null && reader.Child(map, "url") is null)
        {
            reader.Error(map, $"{path}.url", "'url' is required (a reference to the webhook URL)");
        }

        SecretReference? secret = null;
        if (kind == AlertChannelType.Webhook)
        {
            secret = reader.Secret(map, path, "secret", "a signing secret is never written in strata.yaml");
            if (secret is null && reader.Child(map, "secret") is null)
            {
                reader.Error(map, $"{path}.secret", "'secret' is required for a webhook channel: every delivery is signed (X-Strata-Signature) so the receiver can tell it came from Strata");
            }
        }

        return name is null ? null : new AlertChannelDefinition { Name = name, Type = kind, Url = url, SigningSecret = secret, Line = line };
    }

    private static AlertRouteDefinition? ReadRoute(ConfigurationReader reader, YamlNode node, string path, HashSet<string> channels, StrataConfiguration configuration)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "severity", "clusters", "policies", "channels", "renotify");
        var severity = AlertSeverity.Info;
        if (reader.Child(map, "severity") is { } severityNode && reader.Scalar(severityNode, $"{path}.severity") is { } text
            && !Severities.TryGetValue(text, out severity))
        {
            reader.Error(severityNode, $"{path}.severity", $"'{text}' is not info, warning or critical (the least severity the route takes)");
        }

        var clusters = Names(reader, map, path, "clusters", (text, item, itemPath) =>
        {
            var selector = new ClusterSelector(text);
            if (selector.IsName && configuration.FindCluster(text) is null)
            {
                reader.Error(item, itemPath, $"unknown cluster '{text}' (clusters: {string.Join(", ", configuration.Clusters.Select(c => c.Name))})");
            }

            return selector;
        });
        var policies = Names(reader, map, path, "policies", (text, item, itemPath) =>
        {
            var pattern = new NamePattern(text);
            if (!pattern.IsGlob && text != BackupWorker.AdHocPolicy && configuration.FindPolicy(text) is null)
            {
                reader.Error(item, itemPath, $"unknown policy '{text}' (policies: {string.Join(", ", configuration.Policies.Select(p => p.Name).Append(BackupWorker.AdHocPolicy))})");
            }

            return pattern;
        });
        var routed = Names(reader, map, path, "channels", (text, item, itemPath) =>
        {
            if (!channels.Contains(text))
            {
                reader.Error(item, itemPath, $"unknown channel '{text}' (channels: {string.Join(", ", channels)})");
            }

            return text;
        });
        if (reader.Child(map, "channels") is null)
        {
            reader.Error(map, $"{path}.channels", "'channels' is required (the names of the channels this route sends to)");
        }

        return new AlertRouteDefinition
        {
            MinimumSeverity = severity,
            Clusters = clusters,
            Policies = policies,
            Channels = routed,
            Renotify = reader.Duration(map, path, "renotify"),
            Line = ConfigurationReader.LineOf(map),
        };
    }

    /// <summary>A list of names, each checked by <paramref name="read"/> at its own position.</summary>
    private static List<T> Names<T>(ConfigurationReader reader, YamlMappingNode map, string path, string key, Func<string, YamlNode, string, T> read)
        where T : class =>
        reader.List(map, key, required: false, (r, item, itemPath) => r.Scalar(item, itemPath) is { Length: > 0 } text ? read(text, item, itemPath) : default, path);

    private static void NotFor(ConfigurationReader reader, YamlMappingNode map, string path, string key, string type)
    {
        if (map.Children.TryGetValue(new YamlScalarNode(key), out _))
        {
            reader.Error(map.Children.Keys.First(k => k is YamlScalarNode { Value: var v } && v == key), $"{path}.{key}", $"'{key}' is for {type} channels only");
        }
    }

    private static Uri? Refuse(ConfigurationReader reader, YamlNode node, string path, string message)
    {
        reader.Error(node, path, message);
        return null;
    }

    private static Uri? HttpsUrl(ConfigurationReader reader, YamlMappingNode map, string path, string key)
    {
        if (reader.OptionalString(map, path, key) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri;
        }

        reader.Error(map.Children[new YamlScalarNode(key)], $"{path}.{key}", $"'{text}' is not an https URL");
        return null;
    }
}
