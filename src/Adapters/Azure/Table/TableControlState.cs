using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// The control state in one table, <c>{prefix}Control</c>, by partition: <c>lease</c> (optimistic
/// concurrency: insert when absent, replace with <c>If-Match</c> when expired, so two workers never
/// both win), <c>schedule</c> (one row per policy), <c>rejected</c> (insert-if-absent per message
/// key; the message kept as gzip JSON), <c>alert</c> (one row per dedup key, updated with <c>If-Match</c>).
/// </summary>
public sealed class TableControlState : IControlState
{
    private const int Attempts = 5;
    private readonly TableClient _table;
    private readonly OnceUntilFailed _created;

    /// <summary>Creates the state; the table is created on first use.</summary>
    public TableControlState(StorageEndpoints endpoints, StorageAuthentication authentication, string tablePrefix = "Strata", StorageClientOptions? options = null)
    {
        _table = new TableClient(endpoints, tablePrefix + "Control", authentication, options);
        _created = new OnceUntilFailed(() => _table.CreateIfNotExistsAsync(CancellationToken.None));
    }

    /// <inheritdoc />
    public async Task<LeaseResult> TryAcquireLeaseAsync(string key, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await _created.RunAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var current = await _table.GetAsync("lease", Row(key), cancellationToken);
            var currentHolder = current?.Get<string>("Holder");
            var expiresAt = current?.Get<DateTimeOffset>("ExpiresAt") ?? DateTimeOffset.MinValue;
            if (current is not null && expiresAt > now && currentHolder != holder)
            {
                return new LeaseResult(false, currentHolder!, expiresAt);
            }

            var renewed = current is not null && expiresAt > now;
            var entity = new TableEntity("lease", Row(key)) { ["Key"] = key, ["Holder"] = holder, ["ExpiresAt"] = now + duration };
            try
            {
                if (current is null)
                {
                    await _table.InsertAsync(entity, cancellationToken);
                }
                else
                {
                    await _table.ReplaceAsync(entity, current.ETag!, cancellationToken);
                }

                return new LeaseResult(true, holder, now + duration, renewed, current is not null && !renewed ? currentHolder : null);
            }
            catch (StorageRequestException e) when (e.Status is 409 or 412 && attempt < Attempts)
            {
                // Someone else wrote it between our read and our write: read again and decide again.
            }
        }
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(string key, string holder, CancellationToken cancellationToken = default)
    {
        var current = await _table.GetAsync("lease", Row(key), cancellationToken);
        if (current?.Get<string>("Holder") == holder)
        {
            try
            {
                await _table.DeleteAsync("lease", Row(key), current.ETag!, cancellationToken);
            }
            catch (StorageRequestException e) when (e.Status == 412)
            {
                // Taken over after it expired: not ours to delete any more.
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetScheduleMarksAsync(CancellationToken cancellationToken = default)
    {
        var marks = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var entity in QueryAsync(TableKeys.Equal("PartitionKey", "schedule"), cancellationToken))
        {
            marks[entity.Get<string>("Policy")!] = entity.Get<DateTimeOffset>("Mark");
        }

        return marks;
    }

    /// <inheritdoc />
    public async Task SaveScheduleMarksAsync(IReadOnlyDictionary<string, DateTimeOffset> marks, CancellationToken cancellationToken = default)
    {
        await _created.RunAsync(cancellationToken);
        var transaction = new TableTransaction(_table.Name, "schedule");
        foreach (var (policy, mark) in marks)
        {
            transaction.Upsert(new TableEntity("schedule", Row(policy)) { ["Policy"] = policy, ["Mark"] = mark });
            if (transaction.Count == TableTransaction.MaxOperations)
            {
                await _table.SubmitAsync(transaction, cancellationToken);
                transaction = new TableTransaction(_table.Name, "schedule");
            }
        }

        if (transaction.Count > 0)
        {
            await _table.SubmitAsync(transaction, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<bool> RecordRejectedAsync(RejectedMessage message, CancellationToken cancellationToken = default)
    {
        await _created.RunAsync(cancellationToken);
        var entity = new TableEntity("rejected", Row(message.Key)) { ["ReceivedAt"] = message.ReceivedAt, ["Queue"] = message.Queue };
        CompressedRecord.Write(entity, message, ControlStateJson.Default.RejectedMessage, $"rejected message {message.Key}");
        try
        {
            await _table.InsertAsync(entity, cancellationToken);
            return true;
        }
        catch (StorageRequestException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RejectedMessage> ListRejectedAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<RejectedMessage>();
        await foreach (var entity in QueryAsync(TableKeys.Equal("PartitionKey", "rejected"), cancellationToken))
        {
            all.Add(CompressedRecord.Read(entity, ControlStateJson.Default.RejectedMessage, $"{_table.Name}/rejected/{entity.RowKey}", "rejected message"));
        }

        foreach (var message in all.OrderByDescending(m => m.ReceivedAt))
        {
            yield return message;
        }
    }

    /// <inheritdoc />
    public async Task<AlertRecord> RecordAlertAsync(Envelope alert, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        await _created.RunAsync(cancellationToken);
        var row = Row(((AlertRaised)alert.Payload).DedupKey);
        for (var attempt = 1; ; attempt++)
        {
            var current = await _table.GetAsync("alert", row, cancellationToken);
            var existing = current is null ? null : CompressedRecord.Read(current, ControlStateJson.Default.AlertRecord, $"{_table.Name}/alert/{row}", "alert");
            var record = existing is null ? AlertRecord.First(alert, receivedAt) : existing.With(alert, receivedAt);
            if (ReferenceEquals(record, existing))
            {
                return record;
            }

            var entity = new TableEntity("alert", row) { ["LastRaisedAt"] = record.LastRaisedAt };
            CompressedRecord.Write(entity, record, ControlStateJson.Default.AlertRecord, $"alert {record.DedupKey}");
            try
            {
                if (current is null)
                {
                    await _table.InsertAsync(entity, cancellationToken);
                }
                else
                {
                    await _table.ReplaceAsync(entity, current.ETag!, cancellationToken);
                }

                return record;
            }
            catch (StorageRequestException e) when (e.Status is 409 or 412 && attempt < Attempts)
            {
                // Another dispatcher recorded an alert of the same incident first: read again.
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AlertRecord> ListAlertsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<AlertRecord>();
        await foreach (var entity in QueryAsync(TableKeys.Equal("PartitionKey", "alert"), cancellationToken))
        {
            all.Add(CompressedRecord.Read(entity, ControlStateJson.Default.AlertRecord, $"{_table.Name}/alert/{entity.RowKey}", "alert"));
        }

        foreach (var record in all.OrderByDescending(r => r.LastRaisedAt))
        {
            yield return record;
        }
    }

    // Keys hold '/' (lease keys, dedup keys), which row keys may not: percent-escape with '~' for '%'.
    private static string Row(string key) => TableKeys.Validate(Uri.EscapeDataString(key).Replace('%', '~'), "key");

    private IAsyncEnumerable<TableEntity> QueryAsync(string filter, CancellationToken cancellationToken) =>
        _table.QueryExistingAsync(filter, cancellationToken: cancellationToken);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RejectedMessage))]
[JsonSerializable(typeof(AlertRecord))]
internal sealed partial class ControlStateJson : JsonSerializerContext;
