namespace Strata.Core.Ports;

/// <summary>The artifact store, plain or write-once for a number of days.</summary>
public interface IArtifactStores
{
    /// <summary>The store without a write-once lock.</summary>
    IArtifactStore Default { get; }

    /// <summary>
    /// The store whose new artifacts are locked for <paramref name="retainFor"/>; stores that cannot lock
    /// (a local folder) return themselves and say so in <see cref="Locks"/>.
    /// </summary>
    IArtifactStore WriteOnce(TimeSpan retainFor);

    /// <summary>Whether <see cref="WriteOnce"/> really locks.</summary>
    bool Locks { get; }
}
