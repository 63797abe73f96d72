using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// JSON merge patch (RFC 7386) and JSON patch (RFC 6902). Strategic merge patch is applied as a
/// merge patch: lists are replaced rather than merged by key (a documented simplification).
/// </summary>
internal static class Patching
{
    public static JsonObject Apply(string contentType, JsonObject target, JsonNode patch)
    {
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType switch
        {
            "application/merge-patch+json" or "application/strategic-merge-patch+json" =>
                patch is JsonObject p ? (JsonObject)Merge(target, p) : throw ApiError.BadRequest("a merge patch must be a JSON object"),
            "application/json-patch+json" =>
                patch is JsonArray ops ? JsonPatch(target, ops) : throw ApiError.BadRequest("a JSON patch must be a JSON array"),
            _ => throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"),
        };
    }

    private static JsonNode Merge(JsonNode? target, JsonObject patch)
    {
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject child)
            {
                var existing = result[key];
                result[key] = Merge(existing?.DeepClone(), child);
            }
            else
            {
                result[key] = value.DeepClone();
            }
        }

        return result;
    }

    private static JsonObject JsonPatch(JsonObject target, JsonArray operations)
    {
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation["op"]?.GetValue<string>();
            var path = operation["path"]?.GetValue<string>() ?? throw ApiError.BadRequest("JSON patch operation without a path");
            switch (op)
            {
                case "add":
                    Set(target, path, operation["value"]?.DeepClone(), insert: true);
                    break;
                case "replace":
                    _ = Get(target, path) ?? throw ApiError.Invalid("", "", path, "replace operation does not apply: doc is missing path");
                    Set(target, path, operation["value"]?.DeepClone(), insert: false);
                    break;
                case "remove":
                    Remove(target, path);
                    break;
                case "test":
                    if (Get(target, path)?.ToJsonString() != operation["value"]?.ToJsonString())
                    {
                        throw ApiError.Invalid("", "", path, "test operation failed");
                    }

                    break;
                case "copy" or "move":
                    var from = operation["from"]?.GetValue<string>() ?? throw ApiError.BadRequest($"{op} without from");
                    var value = Get(target, from)?.DeepClone();
                    if (op == "move")
                    {
                        Remove(target, from);
                    }

                    Set(target, path, value, insert: true);
                    break;
                default:
                    throw ApiError.BadRequest($"unknown JSON patch operation '{op}'");
            }
        }

        return target;
    }

    private static string[] Segments(string path) =>
        [.. path.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~"))];

    private static JsonNode? Get(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var segment in Segments(path))
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static void Set(JsonObject root, string path, JsonNode? value, bool insert)
    {
        var segments = Segments(path);
        var parent = segments.Length == 1 ? root : Get(root, "/" + string.Join('/', segments[..^1]));
        var last = segments[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i <= a.Count:
                if (insert)
                {
                    a.Insert(i, value);
                }
                else
                {
                    a[i] = value;
                }

                break;
            default:
                throw ApiError.Invalid("", "", path, "doc is missing path");
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var segments = Segments(path);
        var parent = segments.Length == 1 ? root : Get(root, "/" + string.Join('/', segments[..^1]));
        var removed = parent switch
        {
            JsonObject o => o.Remove(segments[^1]),
            JsonArray a when int.TryParse(segments[^1], out var i) && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw ApiError.Invalid("", "", path, "remove operation does not apply: doc is missing path");
        }
    }

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }
}
