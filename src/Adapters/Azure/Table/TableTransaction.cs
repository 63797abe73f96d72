using System.Globalization;
using System.Text;
using System.Text.Json;
using global::Azure.Core;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// An entity group transaction (<c>$batch</c>): up to 100 operations on one partition of one
/// table, sent as one multipart change set. The service applies all of them or none; a failure
/// names the operation (by index) that caused it.
/// </summary>
public sealed class TableTransaction
{
    /// <summary>The service's limit on operations per change set.</summary>
    public const int MaxOperations = 100;

    private readonly List<Operation> _operations = [];

    /// <summary>Starts a transaction on <paramref name="partitionKey"/> of <paramref name="table"/>.</summary>
    public TableTransaction(string table, string partitionKey)
    {
        Table = table;
        PartitionKey = TableKeys.Validate(partitionKey, "PartitionKey");
    }

    /// <summary>The table.</summary>
    public string Table { get; }

    /// <summary>The one partition every operation addresses.</summary>
    public string PartitionKey { get; }

    /// <summary>Operations so far.</summary>
    public int Count => _operations.Count;

    /// <summary>Insert (fails the transaction if the entity exists).</summary>
    public TableTransaction Insert(TableEntity entity) => Add("POST", entity, null, addressed: false);

    /// <summary>Insert or replace.</summary>
    public TableTransaction Upsert(TableEntity entity) => Add("PUT", entity, null);

    /// <summary>Insert or merge.</summary>
    public TableTransaction UpsertMerge(TableEntity entity) => Add("MERGE", entity, null);

    /// <summary>Replace if the ETag matches.</summary>
    public TableTransaction Replace(TableEntity entity, string ifMatch) => Add("PUT", entity, ifMatch);

    /// <summary>Merge if the ETag matches.</summary>
    public TableTransaction Merge(TableEntity entity, string ifMatch) => Add("MERGE", entity, ifMatch);

    /// <summary>Delete if the ETag matches (<c>*</c>: whatever it is; a missing entity fails the transaction).</summary>
    public TableTransaction Delete(string rowKey, string ifMatch = "*") =>
        Add("DELETE", new TableEntity(PartitionKey, TableKeys.Validate(rowKey, "RowKey")), ifMatch, body: false);

    internal async Task SubmitAsync(StoragePipeline pipeline, string endpoint, Func<HttpMessage> createMessage, CancellationToken cancellationToken)
    {
        if (_operations.Count == 0)
        {
            return;
        }

        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeSet = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append("--").Append(batch).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeSet).Append("\r\n\r\n");
        for (var i = 0; i < _operations.Count; i++)
        {
            var operation = _operations[i];
            var address = operation.Addressed ? TableKeys.Address(Table, operation.Entity.PartitionKey, operation.Entity.RowKey) : Table;
            body.Append("--").Append(changeSet).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append(operation.Method).Append(' ').Append(endpoint).Append('/').Append(address).Append(" HTTP/1.1\r\n")
                .Append("Content-ID: ").Append(i + 1).Append("\r\n")
                .Append("Accept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0\r\n");
            if (operation.IfMatch is not null)
            {
                body.Append("If-Match: ").Append(operation.IfMatch).Append("\r\n");
            }

            if (operation.Body)
            {
                body.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n")
                    .Append(Encoding.UTF8.GetString(TableClient.Serialize(operation.Entity))).Append("\r\n");
            }
            else
            {
                body.Append("\r\n");
            }
        }

        body.Append("--").Append(changeSet).Append("--\r\n").Append("--").Append(batch).Append("--\r\n");
        var payload = Encoding.UTF8.GetBytes(body.ToString());
        if (payload.Length > 4 << 20)
        {
            throw new ArgumentException($"transaction on {Table}/{PartitionKey}: {payload.Length} bytes; the service accepts at most 4 MiB");
        }

        using var message = createMessage();
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + batch);
        message.Request.Content = RequestContent.Create(payload);
        var resource = $"{Table}/{PartitionKey} ({_operations.Count} operations)";
        var response = await pipeline.SendAsync(message, "Entity Group Transaction", resource, cancellationToken, 202);
        ThrowIfRolledBack(response.Content.ToString(), resource);
    }

    /// <summary>
    /// A change set that failed answers with one part: the failing operation's status and error,
    /// whose message starts with that operation's index.
    /// </summary>
    private static void ThrowIfRolledBack(string response, string resource)
    {
        foreach (var line in response.Split('\n'))
        {
            if (!line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
            {
                continue;
            }

            var status = int.Parse(line.AsSpan(9, 3), CultureInfo.InvariantCulture);
            if (status < 400)
            {
                continue;
            }

            string? code = null;
            string? text = null;
            var start = response.IndexOf('{', response.IndexOf(line, StringComparison.Ordinal));
            if (start >= 0)
            {
                try
                {
                    using var reader = JsonDocument.Parse(response[start..response.LastIndexOf('}')].TrimEnd() + "}");
                    var error = reader.RootElement.GetProperty("odata.error");
                    code = error.GetProperty("code").GetString();
                    text = error.GetProperty("message").GetProperty("value").GetString()?.Split('\n')[0];
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                }
            }

            throw new StorageRequestException(
                $"Entity Group Transaction '{resource}' rolled back: {status} {code}" + (text is null ? "" : $" ({text})"), status, code);
        }
    }

    private TableTransaction Add(string method, TableEntity entity, string? ifMatch, bool addressed = true, bool body = true)
    {
        if (entity.PartitionKey != PartitionKey)
        {
            throw new ArgumentException($"a transaction covers one partition ('{PartitionKey}'), not '{entity.PartitionKey}'");
        }

        if (_operations.Count == MaxOperations)
        {
            throw new InvalidOperationException($"a transaction holds at most {MaxOperations} operations");
        }

        TableKeys.Validate(entity.RowKey, "RowKey");
        _operations.Add(new Operation(method, entity, ifMatch, addressed, body));
        return this;
    }

    private sealed record Operation(string Method, TableEntity Entity, string? IfMatch, bool Addressed, bool Body);
}
