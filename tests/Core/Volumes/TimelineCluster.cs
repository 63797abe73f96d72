using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Strata.Core.Commands;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.Core.Tests.Volumes;

/// <summary>
/// Passes every call to the cluster on, and logs it on one timeline (when it was made — a create when it returned —, verb, resource, namespace) — so a
/// test counts the requests the layer made, and reads what overlapped, without timing anything itself.
/// </summary>
internal sealed class TimelineCluster(IClusterWriter inner, Stopwatch clock) : IClusterWriter
{
    public ConcurrentQueue<(TimeSpan At, string Verb, string Resource, string? Namespace)> Calls { get; } = new();

    public int Count(string verb, string resource) => Calls.Count(c => c.Verb == verb && c.Resource == resource);

    public Task<ServerVersion> GetServerVersionAsync(CancellationToken cancellationToken = default) => inner.GetServerVersionAsync(cancellationToken);

    public Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken = default)
    {
        Calls.Enqueue((clock.Elapsed, "discover", "", null));
        return inner.DiscoverAsync(cancellationToken);
    }

    public async IAsyncEnumerable<KubeObject> ListAsync(ApiResource resource, ListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Log("list", resource, request.Namespace);
        await foreach (var item in inner.ListAsync(resource, request, cancellationToken))
        {
            yield return item;
        }
    }

    public Task<KubeObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        Log("get", resource, ns);
        return inner.GetAsync(resource, ns, name, cancellationToken);
    }

    public async Task<KubeObject> CreateAsync(ApiResource resource, string? ns, JsonObject body, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var created = await inner.CreateAsync(resource, ns, body, dryRun, cancellationToken);
        Log("create", resource, ns);
        return created;
    }

    public Task<KubeObject> MergePatchAsync(ApiResource resource, string? ns, string name, JsonObject patch, bool dryRun = false, CancellationToken cancellationToken = default) =>
        inner.MergePatchAsync(resource, ns, name, patch, dryRun, cancellationToken);

    public Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(resource, ns, name, cancellationToken);

    public Task<CommandExit> ExecAsync(PodCommand command, CommandStreams streams, CancellationToken cancellationToken = default) =>
        inner.ExecAsync(command, streams, cancellationToken);

    private void Log(string verb, ApiResource resource, string? ns) => Calls.Enqueue((clock.Elapsed, verb, resource.Name, ns));
}

/// <summary>Passes every call to the store on, and logs each commit on the same timeline.</summary>
internal sealed class TimelineStore(IArtifactStore inner, Stopwatch clock) : IArtifactStore
{
    public ConcurrentQueue<(TimeSpan At, string Key)> Commits { get; } = new();

    public string Location => inner.Location;

    public async Task<IArtifactWriter> CreateAsync(string key, CancellationToken cancellationToken = default) =>
        new Writer(await inner.CreateAsync(key, cancellationToken), () => Commits.Enqueue((clock.Elapsed, key)));

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<ArtifactDeletion> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    private sealed class Writer(IArtifactWriter inner, Action committed) : IArtifactWriter
    {
        public Stream Content => inner.Content;

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await inner.CommitAsync(cancellationToken);
            committed();
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
