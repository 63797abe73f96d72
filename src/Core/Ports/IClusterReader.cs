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
