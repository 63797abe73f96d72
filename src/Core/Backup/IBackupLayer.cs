namespace Strata.Core.Backup;

/// <summary>
/// A layer of a backup beside the API objects (databases, volumes; later etcd): it captures its items into the
/// backup's prefix, commits each artifact it completes, and records each item's failure in the run's result rather
/// than throwing — one layer's failure makes the backup PartiallyFailed, and the others still commit.
/// </summary>
public interface IBackupLayer
{
    /// <summary>The layer's name in reports (<c>databases</c>).</summary>
    string Name { get; }

    /// <summary>When the layer runs: after the objects (the default), or beside them.</summary>
    LayerTiming Timing => LayerTiming.AfterObjects;

    /// <summary>Captures the layer; throws only for cancellation and failed infrastructure (the store).</summary>
    Task<LayerCapture> CaptureAsync(LayerContext context, CancellationToken cancellationToken = default);
}
