using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;

namespace Strata.Adapters.Tests.Azure;

/// <summary>
/// Entities as JSON on the wire, past the SDK: inserted and read over plain HTTP with a table SAS,
/// the way Strata's own REST client wrote them before it moved to the SDK (<c>x-ms-version</c>
/// 2019-02-02, minimal metadata, <c>Edm.Int64</c> as strings).
/// </summary>
internal sealed class RawTableEntities(TableClient table) : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly Uri _sas = table.GenerateSasUri(TableSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1));

    public async Task InsertAsync(JsonObject entity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _sas) { Content = new StringContent(entity.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Headers(request, "application/json;odata=minimalmetadata");
        request.Headers.Add("Prefer", "return-no-content");
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The entity with full metadata: every property not plain JSON carries its <c>@odata.type</c>.</summary>
    public async Task<JsonObject> GetAsync(string partitionKey, string rowKey)
    {
        var address = new UriBuilder(_sas);
        address.Path += $"(PartitionKey='{Uri.EscapeDataString(partitionKey)}',RowKey='{Uri.EscapeDataString(rowKey)}')";
        using var request = new HttpRequestMessage(HttpMethod.Get, address.Uri);
        Headers(request, "application/json;odata=fullmetadata");
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Each property's stored type: its <c>@odata.type</c>, else its JSON kind (Edm.String, Edm.Int32, Edm.Boolean).</summary>
    public static SortedDictionary<string, string> Shape(JsonObject entity) => new(
        entity.Where(p => !p.Key.Contains('@', StringComparison.Ordinal) && !p.Key.StartsWith("odata.", StringComparison.Ordinal) && p.Key != "Timestamp")
            .ToDictionary(p => p.Key, p => entity[p.Key + "@odata.type"]?.GetValue<string>() ?? p.Value!.GetValueKind().ToString()),
        StringComparer.Ordinal);

    public void Dispose() => _http.Dispose();

    private static void Headers(HttpRequestMessage request, string accept)
    {
        request.Headers.Add("Accept", accept);
        request.Headers.Add("x-ms-version", "2019-02-02");
        request.Headers.Add("DataServiceVersion", "3.0");
    }
}
