using Strata.Core.Artifacts;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary>Finds a backup by id: in the run history, else in the store (a store copied elsewhere, or read without its history).</summary>
internal static class BackupLookup
{
    /// <summary>The backup's key prefix; null (with the message to print) when the id is not one, or no backup has it.</summary>
    public static async Task<(string? Prefix, string? Error)> FindAsync(StoreLocation location, string backupId, CancellationToken cancellationToken)
    {
        if (!BackupId.IsValid(backupId))
        {
            return (null, $"'{backupId}' is not a backup id");
        }

        if ((await location.History.FindBackupAsync(backupId, cancellationToken))?.Location is { } recorded)
        {
            return (recorded, null);
        }

        if (await StoredBackups.FindPrefixAsync(location.Artifacts, backupId, cancellationToken) is { } stored)
        {
            return (stored, null);
        }

        return (null, $"no backup '{backupId}' in {location.HistoryWhere} or in the store at {location.ArtifactsWhere}");
    }
}
