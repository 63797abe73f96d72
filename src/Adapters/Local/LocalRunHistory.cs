using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Serialization;

namespace Strata.Adapters.Local;

/// <summary>
/// Run history in a local folder: one JSON document per run, named by its id, under
/// <c>backups/</c>, <c>restores/</c> and <c>drills/</c> (ids sort by time, so listing newest first is a reverse
/// sort). Writes are atomic (temp file, then rename).
/// </summary>
public sealed class LocalRunHistory(string root) : IRunHistory
{
    private readonly RecordFolder<BackupRecord> _backups = new(Path.Combine(Path.GetFullPath(root), "backups"), StrataJson.Default.BackupRecord);
    private readonly RecordFolder<RestoreRecord> _restores = new(Path.Combine(Path.GetFullPath(root), "restores"), StrataJson.Default.RestoreRecord);
    private readonly RecordFolder<DrillRecord> _drills = new(Path.Combine(Path.GetFullPath(root), "drills"), StrataJson.Default.DrillRecord);

    /// <summary>The history folder.</summary>
    public string Location { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public Task SaveBackupAsync(BackupRecord record, CancellationToken cancellationToken = default) =>
        _backups.SaveAsync(record.Id, record, cancellationToken);

    /// <inheritdoc />
    public Task<BackupRecord?> FindBackupAsync(string backupId, CancellationToken cancellationToken = default) =>
        _backups.FindAsync(backupId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<BackupRecord> ListBackupsAsync(CancellationToken cancellationToken = default) =>
        _backups.ListAsync(cancellationToken);

    /// <inheritdoc />
    public Task SaveRestoreAsync(RestoreRecord record, CancellationToken cancellationToken = default) =>
        _restores.SaveAsync(record.Id, record, cancellationToken);

    /// <inheritdoc />
    public Task<RestoreRecord?> FindRestoreAsync(string restoreId, CancellationToken cancellationToken = default) =>
        _restores.FindAsync(restoreId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RestoreRecord> ListRestoresAsync(CancellationToken cancellationToken = default) =>
        _restores.ListAsync(cancellationToken);

    /// <inheritdoc />
    public Task SaveDrillAsync(DrillRecord record, CancellationToken cancellationToken = default) =>
        _drills.SaveAsync(record.Id, record, cancellationToken);

    /// <inheritdoc />
    public Task<DrillRecord?> FindDrillAsync(string drillId, CancellationToken cancellationToken = default) =>
        _drills.FindAsync(drillId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<DrillRecord> ListDrillsAsync(CancellationToken cancellationToken = default) =>
        _drills.ListAsync(cancellationToken);

    private sealed class RecordFolder<T>(string folder, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        public async Task SaveAsync(string id, T record, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(folder);
            var path = PathOf(id);
            var temp = path + $".{Guid.NewGuid():N}.tmp";
            await using (var file = File.Create(temp))
            {
                await JsonSerializer.SerializeAsync(file, record, typeInfo, cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
        }

        public async Task<T?> FindAsync(string id, CancellationToken cancellationToken)
        {
            if (!BackupId.IsValid(id))
            {
                return null;
            }

            var path = PathOf(id);
            return File.Exists(path) ? await ReadAsync(path, cancellationToken) : null;
        }

        public async IAsyncEnumerable<T> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (!Directory.Exists(folder))
            {
                yield break;
            }

            foreach (var path in Directory.EnumerateFiles(folder, "*.json").OrderDescending(StringComparer.Ordinal))
            {
                yield return await ReadAsync(path, cancellationToken);
            }
        }

        private string PathOf(string id) => Path.Combine(folder, id + ".json");

        private async Task<T> ReadAsync(string path, CancellationToken cancellationToken)
        {
            await using var file = File.OpenRead(path);
            try
            {
                return await JsonSerializer.DeserializeAsync(file, typeInfo, cancellationToken)
                    ?? throw new InvalidDataException($"{path}: empty run record");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: unreadable run record ({e.Message})", e);
            }
        }
    }
}
