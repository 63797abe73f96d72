using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Strata.TestKit.Rbac;

/// <summary>
/// The documents of <c>kubectl apply -f</c> files as JSON objects: every document of every YAML file, in order.
/// Plain scalars that read as booleans or integers become those (as YAML 1.1 and kubectl read them).
/// </summary>
public static class KubernetesManifests
{
    /// <summary>The folder of the shipped roles.</summary>
    public static string RolesFolder => Path.Combine(Repository.Root, "infra", "kubernetes");

    /// <summary>Every document of <paramref name="path"/>.</summary>
    public static IReadOnlyList<JsonObject> Read(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>()];
    }

    /// <summary>Every document of every <c>*.yaml</c> file in <paramref name="folder"/>, files in name order.</summary>
    public static IReadOnlyList<JsonObject> ReadFolder(string folder) =>
        [.. Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal).SelectMany(Read)];

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "null" or "~" or "" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain } n when long.TryParse(n.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode s => JsonValue.Create(s.Value ?? string.Empty),
        _ => null,
    };
}
