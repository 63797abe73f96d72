using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>A cluster whose identity may list only some resource types: the others answer 403, as RBAC does.</summary>
internal sealed class ForbiddingCluster(RecordingCluster inner, Func<ApiResource, bool> forbidden) : IClusterWriter
{
    public Task<ServerVersion> GetServerVersionAsync(CancellationToken cancellationToken = default) => inner.GetServerVersionAsync(cancellationToken);

    public Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken = default) => inner.DiscoverAsync(cancellationToken);

    public async IAsyncEnumerable<KubeObject> ListAsync(ApiResource resource, ListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (forbidden(resource))
        {
            throw new ClusterRequestException($"{resource.Name} is forbidden: User \"strata\" cannot list resource \"{resource.Name}\"", 403, "Forbidden", isTransient: false);
        }

        await foreach (var item in inner.ListAsync(resource, request, cancellationToken))
        {
            yield return item;
        }
    }

    public Task<KubeObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default) => inner.GetAsync(resource, ns, name, cancellationToken);

    public Task<KubeObject> CreateAsync(ApiResource resource, string? ns, JsonObject body, bool dryRun = false, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(resource, ns, body, dryRun, cancellationToken);

    public Task<KubeObject> MergePatchAsync(ApiResource resource, string? ns, string name, JsonObject patch, bool dryRun = false, CancellationToken cancellationToken = default) =>
        inner.MergePatchAsync(resource, ns, name, patch, dryRun, cancellationToken);

    public Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(resource, ns, name, cancellationToken);

    public Task<Core.Commands.CommandExit> ExecAsync(Core.Commands.PodCommand command, Core.Commands.CommandStreams streams, CancellationToken cancellationToken = default) =>
        inner.ExecAsync(command, streams, cancellationToken);
}
