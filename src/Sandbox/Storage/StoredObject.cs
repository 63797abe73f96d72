using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Sandbox.Storage;

/// <summary>
/// One stored object. <see cref="Item"/> is its JSON without <c>apiVersion</c> and <c>kind</c>:
/// the form built-in list items take on the wire; a single GET prepends the type.
/// </summary>
public sealed record StoredObject(string? Namespace, string Name, string Uid, long ResourceVersion, IReadOnlyDictionary<string, string> Labels, byte[] Item)
{
    public string Key => Namespace is null ? Name : $"{Namespace}/{Name}";

    public JsonObject ToJson(string apiVersion, string kind)
    {
        var json = JsonNode.Parse(Item)!.AsObject();
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (name, value) in json.ToList())
        {
            json.Remove(name);
            result[name] = value;
        }

        return result;
    }

    /// <summary><c>{"apiVersion":..,"kind":..</c>: the start of a full document, made once per list.</summary>
    public static byte[] TypeMetaHead(string apiVersion, string kind) =>
        Encoding.UTF8.GetBytes($"{{\"apiVersion\":{JsonSerializer.Serialize(apiVersion)},\"kind\":{JsonSerializer.Serialize(kind)}");

    /// <summary>The full document: <paramref name="typeMetaHead"/> then the item's properties.</summary>
    public void WriteWithTypeMeta(IBufferWriter<byte> output, ReadOnlySpan<byte> typeMetaHead)
    {
        output.Write(typeMetaHead);
        if (Item.Length > 2)
        {
            output.Write(","u8);
        }

        output.Write(Item.AsSpan(1));
    }

    public static StoredObject From(JsonObject obj, long resourceVersion)
    {
        var metadata = obj["metadata"]!.AsObject();
        metadata["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata["labels"] is JsonObject labelObject)
        {
            foreach (var (key, value) in labelObject)
            {
                labels[key] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            KubeObjectJson.WritePropertiesExceptTypeMeta(writer, obj);
            writer.WriteEndObject();
        }

        return new StoredObject(
            metadata["namespace"]?.GetValue<string>(),
            metadata["name"]!.GetValue<string>(),
            metadata["uid"]?.GetValue<string>() ?? string.Empty,
            resourceVersion,
            labels,
            buffer.WrittenSpan.ToArray());
    }
}
