using System.Runtime.CompilerServices;
using global::Azure;
using global::Azure.Data.Tables;
using Strata.Core.Coverage;
using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// The control state in one table, <c>{prefix}Control</c>, through the SDK's <see cref="TableClient"/>,
/// by partition: <c>lease</c> (optimistic concurrency: insert when absent, replace with
/// <c>If-Match</c> when expired, so two workers never both win), <c>schedule</c> (one row per
/// policy, saved in entity group transactions), <c>rejected</c> (insert-if-absent per message
/// key; the message kept as gzip JSON), <c>alert</c> (one row per dedup key, updated with <c>If-Match</c>),
/// <c>channel</c> (one row per alert channel: its delivery health, updated with <c>If-Match</c>), <c>coverage</c> (one row
/// per cluster: its latest coverage survey as gzip JSON, replaced by the next).
/// </summary>
public sealed class TableControlState : IControlState
{
    private const int Attempts = 5;

    // An incident or a channel's health can be written by every dispatcher at once (one alert fanned out to several
    // channels, several alerts of one incident): each round of conflicting writers lets at least one through, so the
    // limit is set above the concurrency the hosts run with (4 calls per instance, a few instances).
    private const int ContendedAttempts = 16;
    private const int MaxTransactionActions = 100;
    private readonly TableClient _table;
    private readonly OnceUntilFailed _created;

    /// <summary>Creates the state; the table is created on first use.</summary>
    /// <param name="service">The account's Table service (see <see cref="StorageAccount.CreateTableServiceClient"/>).</param>
    /// <param name="tablePrefix">The table is <c>{tablePrefix}Control</c>.</param>
    public TableControlState(TableServiceClient service, string tablePrefix = "Strata")
    {
        _table = service.GetTableClient(tablePrefix + "Control");
        _created = new OnceUntilFailed(() => Call("Create Table", _table.Name, () => _table.CreateIfNotExistsAsync(), CancellationToken.None));
    }

    /// <inheritdoc />
    public async Task<LeaseResult> TryAcquireLeaseAsync(string key, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await _created.RunAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync("lease", Row(key), cancellationToken);
            var currentHolder = current?.GetString("Holder");
            var expiresAt = current?.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue;
            if (current is not null && expiresAt > now && currentHolder != holder)
            {
                return new LeaseResult(false, currentHolder!, expiresAt);
            }

            var renewed = current is not null && expiresAt > now;
            var entity = new TableEntity("lease", Row(key)) { ["Key"] = key, ["Holder"] = holder, ["ExpiresAt"] = now + duration };
            try
            {
                await WriteAsync(entity, current?.ETag, cancellationToken);
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
        var current = await GetAsync("lease", Row(key), cancellationToken);
        if (current?.GetString("Holder") == holder)
        {
            try
            {
                await Call("Delete Entity", Resource(current), () => _table.DeleteEntityAsync(current.PartitionKey, current.RowKey, current.ETag, cancellationToken), cancellationToken);
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
        await foreach (var entity in PartitionAsync("schedule", cancellationToken))
        {
            marks[entity.GetString("Policy")] = entity.GetDateTimeOffset("Mark") ?? DateTimeOffset.MinValue;
        }

        return marks;
    }

    /// <inheritdoc />
    public async Task SaveScheduleMarksAsync(IReadOnlyDictionary<string, DateTimeOffset> marks, CancellationToken cancellationToken = default)
    {
        await _created.RunAsync(cancellationToken);

        // One partition, so up to 100 marks at a time go in one all-or-nothing transaction.
        foreach (var chunk in marks.Chunk(MaxTransactionActions))
        {
            var actions = chunk.Select(m => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace, new TableEntity("schedule", Row(m.Key)) { ["Policy"] = m.Key, ["Mark"] = m.Value }));
            await Call("Entity Group Transaction", $"{_table.Name}/schedule ({chunk.Length} marks)", () => _table.SubmitTransactionAsync(actions, cancellationToken), cancellationToken);
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
            await WriteAsync(entity, null, cancellationToken);
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
        await foreach (var entity in PartitionAsync("rejected", cancellationToken))
        {
            all.Add(CompressedRecord.Read(entity, ControlStateJson.Default.RejectedMessage, $"{_table.Name}/rejected/{entity.RowKey}", "rejected message"));
        }

        foreach (var message in all.OrderByDescending(m => m.ReceivedAt))
        {
            yield return message;
        }
    }

    /// <inheritdoc />
    public async Task<AlertRecord> RecordAlertAsync(Envelope alert, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        (await UpdateAlertAsync(((AlertRaised)alert.Payload).DedupKey, existing => existing?.With(alert, receivedAt) ?? AlertRecord.First(alert, receivedAt), cancellationToken))!;

    /// <inheritdoc />
    public async Task<AlertRecord?> FindAlertAsync(string dedupKey, CancellationToken cancellationToken = default)
    {
        var row = Row(dedupKey);
        return await GetAsync("alert", row, cancellationToken) is { } entity
            ? CompressedRecord.Read(entity, ControlStateJson.Default.AlertRecord, $"{_table.Name}/alert/{row}", "alert")
            : null;
    }

    /// <inheritdoc />
    public Task<AlertRecord?> ResolveAlertAsync(Envelope resolved, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        UpdateAlertAsync(((AlertResolved)resolved.Payload).DedupKey, existing => existing?.Resolve(resolved, receivedAt), cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord?> RecordNotificationsAsync(string dedupKey, IReadOnlyList<ChannelNotification> notifications, CancellationToken cancellationToken = default) =>
        UpdateAlertAsync(dedupKey, existing => existing?.Notified(notifications), cancellationToken);

    /// <inheritdoc />
    public async Task<ChannelHealth> RecordDeliveryAsync(string channel, DateTimeOffset at, string? failure, CancellationToken cancellationToken = default)
    {
        await _created.RunAsync(cancellationToken);
        var row = Row(channel);
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync("channel", row, cancellationToken);
            var health = ChannelHealth.After(current is null ? null : Health(current), channel, at, failure);
            var entity = new TableEntity("channel", row)
            {
                ["Channel"] = channel,
                ["ConsecutiveFailures"] = health.ConsecutiveFailures,
                ["LastSuccessAt"] = health.LastSuccessAt,
                ["LastFailureAt"] = health.LastFailureAt,
                ["LastError"] = health.LastError,
            };
            try
            {
                await WriteAsync(entity, current?.ETag, cancellationToken);
                return health;
            }
            catch (StorageRequestException e) when (e.Status is 409 or 412 && attempt < ContendedAttempts)
            {
                // Another dispatcher delivered to the same channel at the same time: count again from its result.
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChannelHealth> ListChannelHealthAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<ChannelHealth>();
        await foreach (var entity in PartitionAsync("channel", cancellationToken))
        {
            all.Add(Health(entity));
        }

        foreach (var health in all.OrderBy(h => h.Channel, StringComparer.Ordinal))
        {
            yield return health;
        }
    }

    /// <inheritdoc />
    public async Task SaveCoverageAsync(CoverageReport report, CancellationToken cancellationToken = default)
    {
        await _created.RunAsync(cancellationToken);
        // Over the entity's 1 MiB even compressed (hundreds of thousands of claims): keep what needs a person — the
        // unprotected entries — and say how many protected and rebuildable ones were left out; when even those are too
        // many, keep the first half of them, then a quarter…, counting the rest, down to none (which always fits).
        var entity = CoverageEntity(report);
        for (var keep = report.Unprotected.Count(); entity is null && keep > 0; keep /= 2)
        {
            entity = CoverageEntity(report.WithFirstUnprotected(keep));
        }

        entity ??= CoverageEntity(report.WithFirstUnprotected(0))
            ?? throw new InvalidOperationException($"coverage of {report.Cluster}: even without entries the report does not fit a table entity");
        await Call("Upsert Entity", Resource(entity), () => _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    /// <summary>The row of <paramref name="report"/>, or null when it is too large for one entity.</summary>
    private static TableEntity? CoverageEntity(CoverageReport report)
    {
        var entity = new TableEntity("coverage", Row(report.Cluster)) { ["SurveyedAt"] = report.SurveyedAt };
        try
        {
            CompressedRecord.Write(entity, report, ControlStateJson.Default.CoverageReport, $"coverage of {report.Cluster}");
            return entity;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CoverageReport> ListCoverageAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<CoverageReport>();
        await foreach (var entity in PartitionAsync("coverage", cancellationToken))
        {
            all.Add(CompressedRecord.Read(entity, ControlStateJson.Default.CoverageReport, $"{_table.Name}/coverage/{entity.RowKey}", "coverage report"));
        }

        foreach (var report in all.OrderBy(r => r.Cluster, StringComparer.Ordinal))
        {
            yield return report;
        }
    }

    private static ChannelHealth Health(TableEntity entity) => new()
    {
        Channel = entity.GetString("Channel"),
        ConsecutiveFailures = entity.GetInt32("ConsecutiveFailures") ?? 0,
        LastSuccessAt = entity.GetDateTimeOffset("LastSuccessAt"),
        LastFailureAt = entity.GetDateTimeOffset("LastFailureAt"),
        LastError = entity.GetString("LastError"),
    };

    /// <summary>Read, change and write one incident with <c>If-Match</c>, again from the read when another writer came first.</summary>
    private async Task<AlertRecord?> UpdateAlertAsync(string dedupKey, Func<AlertRecord?, AlertRecord?> change, CancellationToken cancellationToken)
    {
        await _created.RunAsync(cancellationToken);
        var row = Row(dedupKey);
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync("alert", row, cancellationToken);
            var existing = current is null ? null : CompressedRecord.Read(current, ControlStateJson.Default.AlertRecord, $"{_table.Name}/alert/{row}", "alert");
            var record = change(existing);
            if (record is null || ReferenceEquals(record, existing))
            {
                return record;
            }

            var entity = new TableEntity("alert", row) { ["LastRaisedAt"] = record.LastRaisedAt };
            CompressedRecord.Write(entity, record, ControlStateJson.Default.AlertRecord, $"alert {record.DedupKey}");
            try
            {
                await WriteAsync(entity, current?.ETag, cancellationToken);
                return record;
            }
            catch (StorageRequestException e) when (e.Status is 409 or 412 && attempt < ContendedAttempts)
            {
                // Another dispatcher changed the same incident first: read again.
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AlertRecord> ListAlertsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<AlertRecord>();
        await foreach (var entity in PartitionAsync("alert", cancellationToken))
        {
            all.Add(CompressedRecord.Read(entity, ControlStateJson.Default.AlertRecord, $"{_table.Name}/alert/{entity.RowKey}", "alert"));
        }

        foreach (var record in all.OrderByDescending(r => r.LastRaisedAt))
        {
            yield return record;
        }
    }

    // Keys hold '/' (lease keys, dedup keys), which row keys may not: percent-escape with '~' for '%'.
    private static string Row(string key) => Uri.EscapeDataString(key).Replace('%', '~');

    private static Task Call(string operation, string resource, Func<Task> call, CancellationToken cancellationToken) =>
        StorageCall.RunAsync(operation, resource, call, cancellationToken);

    private string Resource(ITableEntity entity) => $"{_table.Name}/{entity.PartitionKey}/{entity.RowKey}";

    private async Task<TableEntity?> GetAsync(string partition, string row, CancellationToken cancellationToken)
    {
        var found = await StorageCall.RunAsync(
            "Query Entity", $"{_table.Name}/{partition}/{row}", () => _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken), cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Insert when <paramref name="etag"/> is null (409 if someone else did), else replace if it is still current (412 if not).</summary>
    private Task WriteAsync(TableEntity entity, ETag? etag, CancellationToken cancellationToken) => etag is { } current
        ? Call("Update Entity", Resource(entity), () => _table.UpdateEntityAsync(entity, current, TableUpdateMode.Replace, cancellationToken), cancellationToken)
        : Call("Insert Entity", Resource(entity), () => _table.AddEntityAsync(entity, cancellationToken), cancellationToken);

    private IAsyncEnumerable<TableEntity> PartitionAsync(string partition, CancellationToken cancellationToken) =>
        TableQuery.ExistingAsync(_table, TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), 1000, cancellationToken);
}
