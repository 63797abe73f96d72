using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using global::Azure.Data.Tables;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Serialization;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// Run history in Azure Table storage, through the SDK's <see cref="TableClient"/>: tables
/// <c>{prefix}Backups</c>, <c>{prefix}Restores</c> and <c>{prefix}Drills</c>, one entity per run keyed by
/// <see cref="RunKeys"/> (newest first). The summary (cluster, policy, status, times, counts, RTO) is in
/// typed properties that <c>$filter</c> can query; the whole record is kept as gzip-compressed
/// JSON in binary properties (<see cref="CompressedRecord"/>). Property names and Edm types are
/// the stored format: history written by earlier versions reads the same.
/// </summary>
public sealed class TableRunHistory : IRunHistory
{
    private readonly RunTable<BackupRecord> _backups;
    private readonly RunTable<RestoreRecord> _restores;
    private readonly RunTable<DrillRecord> _drills;

    /// <summary>Creates the history; tables are created on first write.</summary>
    /// <param name="service">The account's Table service (see <see cref="StorageAccount.CreateTableServiceClient"/>).</param>
    /// <param name="tablePrefix">Table names start with this.</param>
    public TableRunHistory(TableServiceClient service, string tablePrefix = "Strata")
    {
        Location = $"{service.Uri.AbsoluteUri.TrimEnd('/')} (tables {tablePrefix}Backups, {tablePrefix}Restores, {tablePrefix}Drills)";
        _backups = new RunTable<BackupRecord>(service.GetTableClient(tablePrefix + "Backups"), StrataJson.Default.BackupRecord, r => r.Id, BackupSummary);
        _restores = new RunTable<RestoreRecord>(service.GetTableClient(tablePrefix + "Restores"), StrataJson.Default.RestoreRecord, r => r.Id, RestoreSummary);
        _drills = new RunTable<DrillRecord>(service.GetTableClient(tablePrefix + "Drills"), StrataJson.Default.DrillRecord, r => r.Id, DrillSummary);
    }

    /// <summary>The account endpoint and table names, for people.</summary>
    public string Location { get; }

    /// <summary>Entities per query page (the service returns at most 1,000).</summary>
    internal int PageSize
    {
        get => _backups.PageSize;
        init => _backups.PageSize = _restores.PageSize = _drills.PageSize = value;
    }

    /// <inheritdoc />
    public Task SaveBackupAsync(BackupRecord record, CancellationToken cancellationToken = default) => _backups.SaveAsync(record, cancellationToken);

    /// <inheritdoc />
    public Task<BackupRecord?> FindBackupAsync(string backupId, CancellationToken cancellationToken = default) => _backups.FindAsync(backupId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<BackupRecord> ListBackupsAsync(CancellationToken cancellationToken = default) => _backups.ListAsync(null, cancellationToken);

    /// <summary>Backups of one cluster and policy, newest first (a <c>$filter</c> on the summary properties).</summary>
    public IAsyncEnumerable<BackupRecord> ListBackupsAsync(string cluster, string policy, CancellationToken cancellationToken = default) =>
        _backups.ListAsync(TableClient.CreateQueryFilter($"Cluster eq {cluster} and Policy eq {policy}"), cancellationToken);

    /// <inheritdoc />
    public Task SaveRestoreAsync(RestoreRecord record, CancellationToken cancellationToken = default) => _restores.SaveAsync(record, cancellationToken);

    /// <inheritdoc />
    public Task<RestoreRecord?> FindRestoreAsync(string restoreId, CancellationToken cancellationToken = default) => _restores.FindAsync(restoreId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RestoreRecord> ListRestoresAsync(CancellationToken cancellationToken = default) => _restores.ListAsync(null, cancellationToken);

    /// <inheritdoc />
    public Task SaveDrillAsync(DrillRecord record, CancellationToken cancellationToken = default) => _drills.SaveAsync(record, cancellationToken);

    /// <inheritdoc />
    public Task<DrillRecord?> FindDrillAsync(string drillId, CancellationToken cancellationToken = default) => _drills.FindAsync(drillId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<DrillRecord> ListDrillsAsync(CancellationToken cancellationToken = default) => _drills.ListAsync(null, cancellationToken);

    /// <summary>Drills of one policy and cluster, newest first (a <c>$filter</c> on the summary properties): the RTO trend.</summary>
    public IAsyncEnumerable<DrillRecord> ListDrillsAsync(string cluster, string policy, CancellationToken cancellationToken = default) =>
        _drills.ListAsync(TableClient.CreateQueryFilter($"Cluster eq {cluster} and Policy eq {policy}"), cancellationToken);

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

    private static void DrillSummary(DrillRecord record, TableEntity entity)
    {
        entity["BackupId"] = record.BackupId;
        entity["Cluster"] = record.Cluster;
        entity["Policy"] = record.Policy;
        entity["Target"] = record.Target;
        entity["Mode"] = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(record.Mode.ToString()); // as strata.yaml writes it: scratch, dryRun
        entity["Status"] = record.Status.ToString();
        entity["StartedAt"] = record.StartedAt;
        if (record.CompletedAt is { } completed)
        {
            entity["CompletedAt"] = completed;
        }

        if (record.RtoSeconds is { } rto)
        {
            entity["RtoSeconds"] = rto;
        }

        entity["RefusedCount"] = record.Refused.Count;
    }

    /// <summary>One table of run records of type <typeparamref name="T"/>.</summary>
    private sealed class RunTable<T>(TableClient table, JsonTypeInfo<T> typeInfo, Func<T, string> idOf, Action<T, TableEntity> summarize)
        where T : class
    {
        private readonly OnceUntilFailed _created = new(() =>
            StorageCall.RunAsync("Create Table", table.Name, () => table.CreateIfNotExistsAsync(), CancellationToken.None));

        public int PageSize { get; set; } = 1000;

        public async Task SaveAsync(T record, CancellationToken cancellationToken)
        {
            var id = idOf(record);
            var entity = new TableEntity(RunKeys.Partition(id), RunKeys.Row(id)) { ["Id"] = id, ["Format"] = 1 };
            summarize(record, entity);
            CompressedRecord.Write(entity, record, typeInfo, $"run record {id}");
            await _created.RunAsync(cancellationToken);
            await StorageCall.RunAsync("Insert Or Replace Entity", Resource(entity), () => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
        }

        public async Task<T?> FindAsync(string id, CancellationToken cancellationToken)
        {
            if (!BackupId.IsValid(id))
            {
                return null;
            }

            // A table not created yet answers as a missing entity.
            var found = await StorageCall.RunAsync(
                "Query Entity", $"{table.Name}/{id}", () => table.GetEntityIfExistsAsync<TableEntity>(RunKeys.Partition(id), RunKeys.Row(id), cancellationToken: cancellationToken), cancellationToken);
            return found.HasValue ? Read(found.Value!) : null;
        }

        public async IAsyncEnumerable<T> ListAsync(string? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var entity in TableQuery.ExistingAsync(table, filter, PageSize, cancellationToken))
            {
                yield return Read(entity);
            }
        }

        private T Read(TableEntity entity) => CompressedRecord.Read(entity, typeInfo, Resource(entity), "run record");

        private string Resource(TableEntity entity) => $"{table.Name}/{entity.PartitionKey}/{entity.RowKey}";
    }
}
