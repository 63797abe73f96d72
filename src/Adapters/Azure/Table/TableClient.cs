using System.Runtime.CompilerServices;
using System.Text.Json;
using global::Azure.Core;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// One table over the Table service's REST API (JSON, minimal metadata): create, insert (fails
/// if the entity exists), upsert, merge, replace and delete with <c>If-Match</c>, point reads,
/// <c>$filter</c> queries across continuation pages, and <c>$batch</c> transactions.
/// </summary>
public sealed class TableClient
{
    private const string Json = "application/json";
    private const string Accept = "application/json;odata=minimalmetadata";
    private static readonly RequestMethod Merge = new("MERGE");

    private readonly StoragePipeline _pipeline;
    private readonly string _endpoint;

    /// <summary>Creates a client for <paramref name="table"/>.</summary>
    public TableClient(StorageEndpoints endpoints, string table, StorageAuthentication authentication, StorageClientOptions? options = null)
    {
        if (table.Length is < 3 or > 63 || !char.IsAsciiLetter(table[0]) || !table.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{table}' is not a valid table name: 3-63 letters and digits, starting with a letter", nameof(table));
        }

        _pipeline = new StoragePipeline(endpoints, authentication, StorageService.Table, options ?? new StorageClientOptions());
        _endpoint = endpoints.Primary.AbsoluteUri.TrimEnd('/');
        Name = table;
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>Creates the table; an existing one is fine.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        message.Request.Headers.SetValue("Content-Type", Json);
        await _pipeline.SendAsync(message, "Create Table", Name, cancellationToken, 201, 204, 409);
    }

    /// <summary>Insert Entity: fails with 409 <c>EntityAlreadyExists</c> if it exists. Sets <see cref="TableEntity.ETag"/>.</summary>
    public async Task InsertAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Post, Name);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetBody(message, entity);
        var response = await _pipeline.SendAsync(message, "Insert Entity", Resource(entity), cancellationToken, 204, 201);
        entity.ETag = Header(response, "ETag");
    }

    /// <summary>Insert Or Replace Entity (no condition).</summary>
    public Task UpsertAsync(TableEntity entity, CancellationToken cancellationToken = default) =>
        WriteAsync(RequestMethod.Put, "Insert Or Replace Entity", entity, null, cancellationToken);

    /// <summary>Insert Or Merge Entity (no condition): properties not sent are kept.</summary>
    public Task UpsertMergeAsync(TableEntity entity, CancellationToken cancellationToken = default) =>
        WriteAsync(Merge, "Insert Or Merge Entity", entity, null, cancellationToken);

    /// <summary>Update Entity: replaces it if its ETag still is <paramref name="ifMatch"/> (or <c>*</c>); 412 otherwise.</summary>
    public Task ReplaceAsync(TableEntity entity, string ifMatch, CancellationToken cancellationToken = default) =>
        WriteAsync(RequestMethod.Put, "Update Entity", entity, ifMatch, cancellationToken);

    /// <summary>Merge Entity: merges if its ETag still is <paramref name="ifMatch"/> (or <c>*</c>); 412 otherwise.</summary>
    public Task MergeAsync(TableEntity entity, string ifMatch, CancellationToken cancellationToken = default) =>
        WriteAsync(Merge, "Merge Entity", entity, ifMatch, cancellationToken);

    /// <summary>Delete Entity if its ETag still is <paramref name="ifMatch"/> (or <c>*</c>); false when absent.</summary>
    public async Task<bool> DeleteAsync(string partitionKey, string rowKey, string ifMatch = "*", CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Delete, TableKeys.Address(Name, partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch);
        var response = await _pipeline.SendAsync(message, "Delete Entity", $"{Name}/{partitionKey}/{rowKey}", cancellationToken, 204, 404);
        return response.Status == 204;
    }

    /// <summary>Query Entity by keys; null when absent.</summary>
    public async Task<TableEntity?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Get, TableKeys.Address(Name, partitionKey, rowKey));
        var response = await _pipeline.SendAsync(message, "Query Entity", $"{Name}/{partitionKey}/{rowKey}", cancellationToken, 200, 404);
        if (response.Status == 404)
        {
            return null;
        }

        using var json = await JsonDocument.ParseAsync(response.ContentStream!, cancellationToken: cancellationToken);
        var entity = TableEntity.Read(json.RootElement);
        entity.ETag ??= Header(response, "ETag");
        return entity;
    }

    /// <summary>Like <see cref="QueryAsync"/>, but a table that does not exist yet has no entities (instead of a 404).</summary>
    public async IAsyncEnumerable<TableEntity> QueryExistingAsync(string? filter, int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var entities = QueryAsync(filter, pageSize, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await entities.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (StorageRequestException e) when (e.ErrorCode == "TableNotFound")
                {
                    yield break;
                }

                yield return entities.Current;
            }
        }
        finally
        {
            await entities.DisposeAsync();
        }
    }

    /// <summary>
    /// Query Entities: every entity matching <paramref name="filter"/> (OData; null for all), in
    /// key order, following continuation tokens. <paramref name="pageSize"/> is <c>$top</c> per page.
    /// </summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(string? filter, int pageSize = 1000, IReadOnlyList<string>? select = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        (string? Partition, string? Row) next = (null, null);
        do
        {
            var query = new List<string> { "$top=" + Math.Clamp(pageSize, 1, 1000) };
            if (filter is not null)
            {
                query.Add("$filter=" + Uri.EscapeDataString(filter));
            }

            if (select is { Count: > 0 })
            {
                query.Add("$select=" + Uri.EscapeDataString(string.Join(',', select)));
            }

            if (next.Partition is not null)
            {
                query.Add("NextPartitionKey=" + Uri.EscapeDataString(next.Partition));
            }

            if (next.Row is not null)
            {
                query.Add("NextRowKey=" + Uri.EscapeDataString(next.Row));
            }

            using var message = Message(RequestMethod.Get, $"{Name}()?{string.Join('&', query)}");
            var response = await _pipeline.SendAsync(message, "Query Entities", Name, cancellationToken, 200);
            using (var json = await JsonDocument.ParseAsync(response.ContentStream!, cancellationToken: cancellationToken))
            {
                foreach (var element in json.RootElement.GetProperty("value").EnumerateArray())
                {
                    yield return TableEntity.Read(element);
                }
            }

            next = (Header(response, "x-ms-continuation-NextPartitionKey"), Header(response, "x-ms-continuation-NextRowKey"));
        }
        while (next.Partition is not null);
    }

    /// <summary>A transaction of up to 100 operations within one partition: all apply or none.</summary>
    public Task SubmitAsync(TableTransaction transaction, CancellationToken cancellationToken = default) =>
        transaction.SubmitAsync(_pipeline, _endpoint, () => Message(RequestMethod.Post, "$batch"), cancellationToken);

    private HttpMessage Message(RequestMethod method, string path)
    {
        var message = _pipeline.CreateMessage(method, new Uri($"{_endpoint}/{path}"));
        message.Request.Headers.SetValue("Accept", Accept);
        message.Request.Headers.SetValue("DataServiceVersion", "3.0");
        message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private async Task WriteAsync(RequestMethod method, string operation, TableEntity entity, string? ifMatch, CancellationToken cancellationToken)
    {
        using var message = Message(method, TableKeys.Address(Name, entity.PartitionKey, entity.RowKey));
        if (ifMatch is not null)
        {
            message.Request.Headers.SetValue("If-Match", ifMatch);
        }

        SetBody(message, entity);
        var response = await _pipeline.SendAsync(message, operation, Resource(entity), cancellationToken, 204);
        entity.ETag = Header(response, "ETag");
    }

    private static void SetBody(HttpMessage message, TableEntity entity)
    {
        TableKeys.Validate(entity.PartitionKey, "PartitionKey");
        TableKeys.Validate(entity.RowKey, "RowKey");
        message.Request.Headers.SetValue("Content-Type", Json);
        message.Request.Content = RequestContent.Create(Serialize(entity));
    }

    internal static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            entity.Write(json);
        }

        return buffer.ToArray();
    }

    private static string? Header(global::Azure.Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private string Resource(TableEntity entity) => $"{Name}/{entity.PartitionKey}/{entity.RowKey}";
}
