using System.Globalization;
using System.Text.Json;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// A Table storage entity: its keys, the ETag the service gave it, and typed properties —
/// <see cref="string"/>, <see cref="bool"/>, <see cref="int"/> (Edm.Int32), <see cref="long"/>
/// (Edm.Int64, sent as a JSON string as the service requires), <see cref="double"/>,
/// <see cref="DateTimeOffset"/> (Edm.DateTime), <see cref="Guid"/> and <see cref="byte"/>[] (Edm.Binary).
/// </summary>
public sealed class TableEntity(string partitionKey, string rowKey)
{
    /// <summary>The partition key.</summary>
    public string PartitionKey { get; } = partitionKey;

    /// <summary>The row key.</summary>
    public string RowKey { get; } = rowKey;

    /// <summary>The ETag the service returned for this entity (for <c>If-Match</c>), if known.</summary>
    public string? ETag { get; set; }

    /// <summary>When the service last wrote it.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The properties, by name.</summary>
    public Dictionary<string, object> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets a property (fluent).</summary>
    public object this[string name]
    {
        get => Properties[name];
        set => Properties[name] = value;
    }

    /// <summary>A property as <typeparamref name="T"/>, or default when absent.</summary>
    public T? Get<T>(string name) => Properties.TryGetValue(name, out var value) && value is T typed ? typed : default;

    /// <summary>Writes the entity as the service's JSON (keys, properties and their odata.type annotations).</summary>
    internal void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("PartitionKey", PartitionKey);
        json.WriteString("RowKey", RowKey);
        foreach (var (name, value) in Properties)
        {
            switch (value)
            {
                case string text:
                    json.WriteString(name, text);
                    break;
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                case int number:
                    json.WriteNumber(name, number);
                    break;
                case long number:
                    json.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                    json.WriteString(name + "@odata.type", "Edm.Int64");
                    break;
                case double number:
                    json.WriteNumber(name, number);
                    json.WriteString(name + "@odata.type", "Edm.Double");
                    break;
                case DateTimeOffset time:
                    json.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                    json.WriteString(name + "@odata.type", "Edm.DateTime");
                    break;
                case Guid guid:
                    json.WriteString(name, guid.ToString("D"));
                    json.WriteString(name + "@odata.type", "Edm.Guid");
                    break;
                case byte[] bytes:
                    json.WriteBase64String(name, bytes);
                    json.WriteString(name + "@odata.type", "Edm.Binary");
                    break;
                default:
                    throw new ArgumentException($"table property '{name}': {value.GetType().Name} is not a Table storage type");
            }
        }

        json.WriteEndObject();
    }

    /// <summary>Reads an entity from the service's JSON (minimal metadata: annotations where JSON cannot tell the type).</summary>
    internal static TableEntity Read(JsonElement element)
    {
        var entity = new TableEntity(
            element.GetProperty("PartitionKey").GetString() ?? "",
            element.GetProperty("RowKey").GetString() ?? "");
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                if (name == "odata.etag")
                {
                    entity.ETag = property.Value.GetString();
                }

                continue;
            }

            // Timestamp is always Edm.DateTime; with minimal metadata it comes without its annotation.
            var type = element.TryGetProperty(name + "@odata.type", out var annotation) ? annotation.GetString()
                : name == "Timestamp" ? "Edm.DateTime" : null;
            var value = ReadValue(property.Value, type, name);
            if (name == "Timestamp" && value is DateTimeOffset timestamp)
            {
                entity.Timestamp = timestamp;
                continue;
            }

            if (value is not null)
            {
                entity.Properties[name] = value;
            }
        }

        return entity;
    }

    private static object? ReadValue(JsonElement value, string? type, string name) => type switch
    {
        "Edm.Int64" => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        "Edm.DateTime" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Binary" => value.GetBytesFromBase64(),
        "Edm.Double" => value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble(),
        "Edm.Int32" => value.GetInt32(),
        "Edm.Boolean" => value.GetBoolean(),
        "Edm.String" or null => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
            JsonValueKind.Number => value.TryGetInt32(out var small) ? (object)small : value.GetDouble(),
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"table property '{name}': unexpected JSON {value.ValueKind}"),
        },
        _ => throw new InvalidDataException($"table property '{name}': unknown type {type}"),
    };
}
