using Strata.Adapters.Azure.Blob;
using Strata.Core.Ports;

namespace Strata.Adapters.Hosting;

/// <summary>The configured store, and its write-once variants (Blob storage locks; a local folder cannot).</summary>
public sealed class ArtifactStores(IArtifactStore store) : IArtifactStores
{
    /// <inheritdoc />
    public IArtifactStore Default => store;

    /// <inheritdoc />
    public bool Locks => store is BlobArtifactStore;

    /// <inheritdoc />
    public IArtifactStore WriteOnce(TimeSpan retainFor) =>
        store is BlobArtifactStore blob ? blob.WithWriteOnce(new WriteOncePolicy(retainFor)) : store;
}
