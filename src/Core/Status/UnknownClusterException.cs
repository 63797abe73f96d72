namespace Strata.Core.Status;

/// <summary>
/// The status page was asked for a cluster strata.yaml does not name; hosts answer 404 with <see cref="Exception.Message"/>
/// (<c>cluster 'NAME' is not in strata.yaml</c>).
/// </summary>
public sealed class UnknownClusterException : Exception
{
    /// <summary>Says <paramref name="cluster"/> is not in <paramref name="configuration"/> (the file's name, not its path or URL).</summary>
    public UnknownClusterException(string cluster, string configuration)
        : base($"cluster '{cluster}' is not in {configuration}")
    {
        Cluster = cluster;
    }

    /// <summary>The name asked for.</summary>
    public string Cluster { get; }
}
