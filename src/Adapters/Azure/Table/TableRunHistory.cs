using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Serialization;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// Run history in Azure Table storage: tables <c>{prefix}Backups</c> and <c>{prefix}Restores</c>,
/// one entity per run keyed by <see cref="RunKeys"/> (newest first). The summary (cluster,
/// policy, status, times, counts) is in typed properties that <c>$filter</c> can query; the whole
/// record is kept as gzip-compressed JSON in binary properties.
/// </summary>
public sealed class TableRunHistory : IRunHistory
{
    private readonly RunTable<BackupRecord> _backups;
    private readonly RunTable<RestoreRecord> _restores;

    /// <summary>Creates the history; tables are created on first write.</summary>
    public TableRunHistory(StorageEndpoints endpoints, StorageAuthentication authentication, string tablePrefix = "Strata", StorageClientOptions? options = null)
    {
        Location = $"{endpoints.Primary.AbsoluteUri.TrimEnd('/')} (tables {tablePrefix}Backups, {tablePrefix}Restores)";
        _backups = new RunTable<BackupRecord>(
            new TableClient(endpoints, tablePrefix + "Backups", authentication, options), StrataJson.Default.BackupRecord, r => r.Id, BackupSummary);
        _restores = new RunTable<RestoreRecord>(
            new TableClient(endpoints, tablePrefix + "Restores", authentication, options), StrataJson.Default.RestoreRecord, r => r.Id, RestoreSummary);
    }

    /// <summary>The account endpoint and table names, for people.</summary>
    public string Location { get; }

    /// <inheritdoc />
    public Task SaveBackupAsync(BackupRecord record, CancellationToken cancellationToken = default) => _backups.SaveAsync(record, cancellationToken);

    /// <inheritdoc />
    public Task<BackupRecord?> FindBackupAsync(string backupId, CancellationToken cancellationToken = default) => _backups.FindAsync(backupId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<BackupRecord> ListBackupsAsync(CancellationToken cancellationToken = default) => _backups.ListAsync(null, cancellationToken);

    /// <summary>Backups of one cluster and policy, newest first (a <c>$filter</c> on the summary properties).</summary>
    public IAsyncEnumerable<BackupRecord> ListBackupsAsync(string cluster, string policy, CancellationToken cancellationToken = default) =>
        _backups.ListAsync($"{TableKeys.Equal("Cluster", cluster)} and {TableKeys.Equal("Policy", policy)}", cancellationToken);

    /// <inheritdoc />
    public Task SaveRestoreAsync(RestoreRecord record, CancellationToken cancellationToken = default) => _restores.SaveAsync(record, cancellationToken);

    /// <inheritdoc />
    public Task<RestoreRecord?> FindRestoreAsync(string restoreId, CancellationToken cancellationToken = default) => _restores.FindAsync(restoreId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RestoreRecord> ListRestoresAsync(CancellationToken cancellationToken = default) => _restores.ListAsync(null, cancellationToken);

    private static void BackupSummary(BackupRecord record, TableEntity entity)
    {
        entity["Cluster"] = record.Cluster;
        entity["Policy"] = record.Policy;
        entity["Status"] = record.Status.ToString();
        entity["StartedAt"] = record.StartedAt;
        if (record.CompletedAt is { } completed)
        {
            entity["CompletedAt"] = completed;
        }

        entity["ObjectCount"] = record.ObjectCount;
        entity["ProblemCount"] = record.Problems.Count;
        entity["Location"] = record.Location;
    }

    private static void RestoreSummary(RestoreRecord record, TableEntity entity)
    {
        entity["BackupId"] = record.BackupId;
        entity["TargetCluster"] = record.TargetCluster;
        entity["Status"] = record.Status.ToString();
        entity["DryRun"] = record.DryRun;
        entity["StartedAt"] = record.StartedAt;
        if (record.CompletedAt is { } completed)
        {
            entity["CompletedAt"] = completed;
        }

        entity["ItemCount"] = (long)record.Items.Count;
    }

    /// <summary>One table of run records of type <typeparamref name="T"/>.</summary>
    private sealed class RunTable<T>(TableClient table, JsonTypeInfo<T> typeInfo, Func<T, string> idOf, Action<T, TableEntity> summarize)
        where T : class
    {
        private readonly OnceUntilFailed _created = new(() => table.CreateIfNotExistsAsync(CancellationToken.None));

        public async Task SaveAsync(T record, CancellationToken cancellationToken)
        {
            var id = idOf(record);
            var entity = new TableEntity(RunKeys.Partition(id), RunKeys.Row(id)) { ["Id"] = id, ["Format"] = 1 };
            summarize(record, entity);
            CompressedRecord.Write(entity, record, typeInfo, $"run record {id}");
            await _created.RunAsync(cancellationToken);
            await table.UpsertAsync(entity, cancellationToken);
        }

        public async Task<T?> FindAsync(string id, CancellationToken cancellationToken)
        {
            if (!BackupId.IsValid(id))
            {
                return null;
            }

            try
            {
                var entity = await table.GetAsync(RunKeys.Partition(id), RunKeys.Row(id), cancellationToken);
                return entity is null ? null : Read(entity);
            }
            catch (StorageRequestException e) when (e.ErrorCode == "TableNotFound")
            {
                return null;
            }
        }

        public async IAsyncEnumerable<T> ListAsync(string? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var entity in table.QueryExistingAsync(filter, cancellationToken: cancellationToken))
            {
                yield return Read(entity);
            }
        }

        private T Read(TableEntity entity) => CompressedRecord.Read(entity, typeInfo, $"{table.Name}/{entity.PartitionKey}/{entity.RowKey}", "run record");
    }
}
