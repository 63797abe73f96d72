using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Strata.Core.Kubernetes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>
/// Serves a list: label and field selectors, <c>limit</c>/<c>continue</c> over a consistent
/// snapshot (410 Expired once the snapshot is compacted), <c>remainingItemCount</c> when no
/// selector is set, items in key order.
/// </summary>
internal static class ListRequest
{
    public static async Task WriteAsync(HttpContext http, RequestTarget.Objects target, ObjectStore store)
    {
        string? Query(string key) => http.Request.Query[key].FirstOrDefault();
        var selector = ParseLabelSelector(Query("labelSelector"));
        var fields = FieldSelector.Parse(Query("fieldSelector"));
        var limit = int.TryParse(Query("limit"), out var l) && l > 0 ? l : int.MaxValue;
        var type = target.Type;

        Snapshot snapshot;
        var start = 0;
        if (Query("continue") is { Length: > 0 } token)
        {
            var (revision, startKey) = ContinueToken.Decode(token);
            snapshot = store.Reopen(type.Key, revision)
                ?? throw ApiError.Expired(ContinueToken.Encode(store.Revision, startKey));
            start = snapshot.IndexOf(startKey);
        }
        else
        {
            snapshot = store.Open(type);
        }

        var items = snapshot.Items;
        var selected = new List<StoredObject>(Math.Min(limit, 1024));
        var i = start;
        for (; i < items.Length && selected.Count < limit; i++)
        {
            var item = items[i];
            if (target.Namespace is { } ns && item.Namespace != ns)
            {
                continue;
            }

            if (selector.Matches(item.Labels) && fields.Matches(item))
            {
                selected.Add(item);
            }
        }

        string? next = null;
        long? remaining = null;
        if (i < items.Length && selected.Count == limit)
        {
            next = ContinueToken.Encode(snapshot.Revision, items[i].Key);
            store.Retain(snapshot);
            if (selector.IsEmpty && fields.IsEmpty && target.Namespace is null)
            {
                remaining = items.Length - i;
            }
        }

        var writer = http.Response.BodyWriter;
        http.Response.ContentType = "application/json";
        var metadata = new JsonObject { ["resourceVersion"] = snapshot.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        if (remaining is not null)
        {
            metadata["remainingItemCount"] = remaining;
        }

        writer.Write(Encoding.UTF8.GetBytes(
            $"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":{JsonSerializer.Serialize(target.ApiVersion)},\"metadata\":{metadata.ToJsonString()},\"items\":["));
        var typeMetaHead = type.IsCustom ? StoredObject.TypeMetaHead(target.ApiVersion, type.Kind) : [];
        for (var n = 0; n < selected.Count; n++)
        {
            if (n > 0)
            {
                writer.Write(","u8);
            }

            if (type.IsCustom)
            {
                selected[n].WriteWithTypeMeta(writer, typeMetaHead);
            }
            else
            {
                writer.Write(selected[n].Item);
            }

            if (n % 64 == 63)
            {
                await writer.FlushAsync(http.RequestAborted);
            }
        }

        writer.Write("]}"u8);
        await writer.FlushAsync(http.RequestAborted);
    }

    private static LabelSelector ParseLabelSelector(string? text) =>
        LabelSelector.TryParse(text, out var selector, out var error)
            ? selector
            : throw ApiError.BadRequest($"unable to parse requirement: {error}");
}

/// <summary>Continue tokens in the server's shape: base64 of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}</c>.</summary>
internal static class ContinueToken
{
    public static string Encode(long revision, string startKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = revision, ["start"] = startKey + "\0" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }

    public static (long Revision, string StartKey) Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var json = JsonNode.Parse(Convert.FromBase64String(base64))!.AsObject();
            if (json["v"]?.GetValue<string>() != "meta.k8s.io/v1")
            {
                throw new FormatException("unknown version");
            }

            return (json["rv"]!.GetValue<long>(), json["start"]!.GetValue<string>().TrimEnd('\0'));
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiError.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}

/// <summary>Field selectors on <c>metadata.name</c> and <c>metadata.namespace</c>, with =, == and !=.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms = [];

    public bool IsEmpty => _terms.Count == 0;

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ne = term.IndexOf("!=", StringComparison.Ordinal);
            var (field, equal, value) = ne > 0
                ? (term[..ne], false, term[(ne + 2)..])
                : term.Split(["==", "="], 2, StringSplitOptions.None) is [var f, var v]
                    ? (f, true, v)
                    : throw ApiError.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }

            selector._terms.Add((field, equal, value));
        }

        return selector;
    }

    public bool Matches(StoredObject item) => _terms.All(t =>
        (t.Field == "metadata.name" ? item.Name : item.Namespace ?? string.Empty) == t.Value == t.Equal);
}
