using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>The members of one connection, and the TLS material they share (disposed with them).</summary>
internal sealed class GrpcEtcdEndpoints(IReadOnlyList<GrpcEtcdMember> members, EtcdTlsMaterial material) : IEtcdEndpoints
{
    public IReadOnlyList<IEtcdMember> Members => members;

    public ValueTask DisposeAsync()
    {
        foreach (var member in members)
        {
            member.Dispose();
        }

        material.Dispose();
        return ValueTask.CompletedTask;
    }
}
