using Strata.Core.Kubernetes;

namespace Strata.Core.Ports;

/// <summary>Read access to one cluster's API, as capture needs it.</summary>
public interface IClusterReader
{
    /// <summary>The server's <c>/version</c>.</summary>
    Task<ServerVersion> GetServerVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Every served group, version and resource.</summary>
    Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the objects of <paramref name="resource"/> page by page. Each object carries its
    /// <c>apiVersion</c> and <c>kind</c>. Failures surface as <see cref="ClusterRequestException"/>.
    /// </summary>
    IAsyncEnumerable<KubeObject> ListAsync(ApiResource resource, ListRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Scope of one list call.</summary>
/// <param name="Namespace">Namespace, or null for all namespaces (and for cluster-scoped resources).</param>
/// <param name="LabelSelector">Label selector in string form, or null.</param>
/// <param name="FieldSelector">Field selector in string form, or null.</param>
/// <param name="PageSize">The <c>limit</c> of each page.</param>
public sealed record ListRequest(string? Namespace = null, string? LabelSelector = null, string? FieldSelector = null, int PageSize = 500);

/// <summary>
/// A request to the cluster failed. Adapters raise subclasses that keep the server's details;
/// Core reads only what is here.
/// </summary>
public class ClusterRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterRequestException(string message, int statusCode, string? reason, bool isTransient, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Reason = reason;
        IsTransient = isTransient;
    }

    /// <summary>HTTP status, or 0 when no response arrived.</summary>
    public int StatusCode { get; }

    /// <summary>The API's reason, e.g. <c>Forbidden</c>, <c>NotFound</c>, <c>Expired</c>.</summary>
    public string? Reason { get; }

    /// <summary>Whether trying again later may succeed.</summary>
    public bool IsTransient { get; }
}
