using Strata.Core.Ports;

namespace Strata.TestKit.Fakes;

/// <summary>One in-memory store that cannot lock (as a local folder).</summary>
public sealed class MemoryArtifactStores(MemoryArtifactStore store) : IArtifactStores
{
    public IArtifactStore Default => store;

    public bool Locks => false;

    public IArtifactStore WriteOnce(TimeSpan retainFor) => store;
}
