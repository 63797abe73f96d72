using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Core.Kubernetes;

/// <summary>Writes objects as the documents a backup stores: compact JSON, <c>apiVersion</c> and <c>kind</c> first.</summary>
public static class KubeObjectJson
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Serializes <paramref name="obj"/> to UTF-8 JSON.</summary>
    public static byte[] Serialize(KubeObject obj)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion"u8, obj.ApiVersion);
            writer.WriteString("kind"u8, obj.Kind);
            WritePropertiesExceptTypeMeta(writer, obj.Json);
            writer.WriteEndObject();
        }

        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1024 * 1024)
        {
            t_buffer = null; // do not keep one outsized object's buffer alive per thread
        }

        return bytes;
    }

    /// <summary>Writes every property of <paramref name="obj"/> but <c>apiVersion</c> and <c>kind</c>.</summary>
    public static void WritePropertiesExceptTypeMeta(Utf8JsonWriter writer, JsonObject obj)
    {
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind")
            {
                continue;
            }

            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
    }
}
