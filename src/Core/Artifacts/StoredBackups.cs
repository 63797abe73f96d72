using Strata.Core.Ports;

namespace Strata.Core.Artifacts;

/// <summary>Finds a backup in the store by its id alone: a store copied elsewhere, or read without its run history.</summary>
public static class StoredBackups
{
    /// <summary>The key prefix of backup <paramref name="backupId"/> in <paramref name="store"/>; null when no artifact of it is there.</summary>
    public static async Task<string?> FindPrefixAsync(IArtifactStore store, string backupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await foreach (var artifact in store.ListAsync(ArtifactLayout.BackupsRoot, cancellationToken))
        {
            if (ArtifactLayout.TryParseKey(artifact.Key, out var key) && key.BackupId == backupId)
            {
                return key.BackupPrefix;
            }
        }

        return null;
    }
}
