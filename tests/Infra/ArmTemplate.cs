using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Infra.Tests;

/// <summary>
/// A compiled ARM template (languageVersion 2.0: resources keyed by their Bicep symbolic names), with each Bicep
/// module as a nested template under its symbolic name.
/// </summary>
internal sealed class ArmTemplate(JsonObject root)
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The template document.</summary>
    public JsonObject Root { get; } = root;

    /// <summary>Resources by symbolic name.</summary>
    public JsonObject Resources => Root["resources"]!.AsObject();

    /// <summary>The template's variables.</summary>
    public JsonObject Variables => Root["variables"]?.AsObject() ?? [];

    /// <summary>The template's parameter declarations.</summary>
    public JsonObject Parameters => Root["parameters"]?.AsObject() ?? [];

    /// <summary>The template's outputs.</summary>
    public JsonObject Outputs => Root["outputs"]?.AsObject() ?? [];

    /// <summary>The resource <paramref name="symbolicName"/>.</summary>
    public JsonObject Resource(string symbolicName) =>
        Resources[symbolicName]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"no resource '{symbolicName}' in the template (has: {string.Join(", ", Resources.Select(r => r.Key))})");

    /// <summary>The module <paramref name="symbolicName"/>'s own template.</summary>
    public ArmTemplate Module(string symbolicName) => new(Resource(symbolicName)["properties"]!["template"]!.AsObject());

    /// <summary>The value the parent passes (an expression as its text, anything else as JSON) to the module's parameter <paramref name="parameter"/>.</summary>
    public string ModuleArgument(string symbolicName, string parameter)
    {
        var argument = Resource(symbolicName)["properties"]!["parameters"]![parameter] ?? throw new Xunit.Sdk.XunitException($"module '{symbolicName}' is given no '{parameter}'");
        var value = argument is JsonObject o && o.ContainsKey("value") ? o["value"]! : argument;
        return value is JsonValue text && text.TryGetValue<string>(out var expression) ? expression : value.ToJsonString(Readable);
    }

    /// <summary>Resources of <paramref name="type"/>, by symbolic name.</summary>
    public IEnumerable<(string Name, JsonObject Resource)> OfType(string type) =>
        Resources.Where(r => (string?)r.Value!["type"] == type).Select(r => (r.Key, r.Value!.AsObject()));

    /// <summary>This template and every module below it, with the path of module names that leads there.</summary>
    public IEnumerable<(string Path, ArmTemplate Template)> All(string path = "main")
    {
        yield return (path, this);
        foreach (var (name, _) in OfType("Microsoft.Resources/deployments"))
        {
            foreach (var nested in Module(name).All($"{path}/{name}"))
            {
                yield return nested;
            }
        }
    }
}
