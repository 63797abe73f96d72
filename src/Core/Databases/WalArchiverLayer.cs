using Strata.Core.Backup;
using Strata.Core.Freshness;

namespace Strata.Core.Databases;

/// <summary>
/// Reads, on every backup, the WAL archiver of each PostgreSQL target with <c>archiving: true</c>
/// (<see cref="PostgresArchiver"/>) and records it in the manifest, judged against the policy's objective. It commits no
/// artifact: an archiver that fails or is stale, or cannot be read, is a warning of the backup (the freshness timer
/// alerts on it), not a missing item.
/// </summary>
/// <param name="targets">The policy's database targets; those without <see cref="DatabaseTarget.Archiving"/> are passed over.</param>
/// <param name="connector">Readies each target.</param>
/// <param name="objective">The policy's recovery-point objective.</param>
public sealed class WalArchiverLayer(IReadOnlyList<DatabaseTarget> targets, DatabaseConnector connector, TimeSpan? objective = null) : IBackupLayer
{
    /// <summary>The resource name problems of this layer carry.</summary>
    public const string Resource = "wal-archiving";

    /// <inheritdoc />
    public string Name => Resource;

    /// <inheritdoc />
    public async Task<LayerCapture> CaptureAsync(LayerContext context, CancellationToken cancellationToken = default)
    {
        var found = new List<WalArchivingStatus>();
        foreach (var target in targets.Where(t => t.Archiving))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ControlPlane.WalArchiverSurvey.ReadTimeout);
            try
            {
                var status = await PostgresArchiver.StatusAsync(await connector.ConnectAsync(target, timeout.Token), objective, timeout.Token);
                found.Add(status);
                if (status.State is WalArchivingState.Failing or WalArchivingState.Stale)
                {
                    context.Result.Warning($"WAL archiving of database target {target.Qualified}: {status.Reason}", Resource, target.Namespace, target.Name);
                }
            }
            catch (Exception e) when (e is DatabaseTargetException or FormatException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var why = e is OperationCanceledException ? $"no answer within {ControlPlane.WalArchiverSurvey.ReadTimeout.TotalSeconds:0} s" : e.Message;
                context.Result.Warning($"the WAL archiver could not be read: {why}", Resource, target.Namespace, target.Name, Results.ProblemReasons.DatabaseUnreachable);
            }
        }

        return LayerCapture.Empty with { WalArchiving = found };
    }
}
