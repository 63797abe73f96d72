using System.Runtime.CompilerServices;
using System.Text.Json;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Serialization;

namespace Strata.Adapters.Local;

/// <summary>
/// Run history in a local folder: one JSON document per backup run, named by its id (ids sort by
/// time, so listing newest first is a reverse sort). Writes are atomic (temp file, then rename).
/// </summary>
public sealed class LocalRunHistory(string root) : IRunHistory
{
    private readonly string _backups = Path.Combine(Path.GetFullPath(root), "backups");

    /// <summary>The history folder.</summary>
    public string Location => Path.GetDirectoryName(_backups)!;

    /// <inheritdoc />
    public async Task SaveBackupAsync(BackupRecord record, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_backups);
        var path = PathOf(record.Id);
        var temp = path + $".{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(record, StrataJson.Default.BackupRecord), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <inheritdoc />
    public async Task<BackupRecord?> FindBackupAsync(string backupId, CancellationToken cancellationToken = default)
    {
        if (!BackupId.IsValid(backupId))
        {
            return null;
        }

        var path = PathOf(backupId);
        return File.Exists(path) ? await ReadAsync(path, cancellationToken) : null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BackupRecord> ListBackupsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_backups))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(_backups, "*.json").OrderDescending(StringComparer.Ordinal))
        {
            yield return await ReadAsync(path, cancellationToken);
        }
    }

    private string PathOf(string id) => Path.Combine(_backups, id + ".json");

    private static async Task<BackupRecord> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(bytes, StrataJson.Default.BackupRecord)
                ?? throw new InvalidDataException($"{path}: empty run record");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable run record ({e.Message})", e);
        }
    }
}
