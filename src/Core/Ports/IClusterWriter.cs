using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Ports;

/// <summary>
/// Write access to one cluster's API, as restore and restore drills need it, and commands in its pods (<see cref="IPodExec"/>: database dumps). Every call with <c>dryRun</c> is sent
/// with <c>dryRun=All</c>: the server admits and validates the request and persists nothing.
/// Failures surface as <see cref="ClusterRequestException"/>.
/// </summary>
public interface IClusterWriter : IClusterReader, IPodExec
{
    /// <summary>The live object, or null when it does not exist.</summary>
    Task<KubeObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default);

    /// <summary>Creates <paramref name="body"/>; 409 <c>AlreadyExists</c> when an object of that name exists.</summary>
    Task<KubeObject> CreateAsync(ApiResource resource, string? ns, JsonObject body, bool dryRun = false, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="patch"/> (an RFC 7386 JSON merge patch) to the live object.</summary>
    Task<KubeObject> MergePatchAsync(ApiResource resource, string? ns, string name, JsonObject patch, bool dryRun = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the object (a drill's scratch namespaces); false when it did not exist. Deletion may
    /// finish later: a Namespace is <c>Terminating</c> until its contents are gone.
    /// </summary>
    Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default);
}
