using Strata.Core.Etcd;

namespace Strata.TestKit.Etcd;

/// <summary>An <see cref="IEtcdConnector"/> over <see cref="FakeEtcdMember"/>s, by endpoint; an endpoint it does not know is down.</summary>
public sealed class FakeEtcdConnector(params FakeEtcdMember[] members) : IEtcdConnector
{
    /// <summary>The members, by endpoint.</summary>
    public IReadOnlyList<FakeEtcdMember> Members { get; } = members;

    /// <summary>Why connecting fails (TLS material that does not read), when set.</summary>
    public EtcdRequestException? ConnectFailure { get; set; }

    /// <summary>The accesses connected with.</summary>
    public List<EtcdAccess> Connected { get; } = [];

    /// <summary>An access with the members' endpoints, in their order.</summary>
    public EtcdAccess Access => new() { Endpoints = [.. Members.Select(m => m.Endpoint)] };

    /// <inheritdoc />
    public Task<IEtcdEndpoints> ConnectAsync(EtcdAccess access, CancellationToken cancellationToken = default)
    {
        if (ConnectFailure is { } failure)
        {
            return Task.FromException<IEtcdEndpoints>(failure);
        }

        Connected.Add(access);
        foreach (var member in Members)
        {
            // Each call's deadline is the adapter's, from the access, as GrpcEtcdConnector gives its members.
            member.DialTimeout = access.DialTimeout;
        }

        IReadOnlyList<IEtcdMember> clients = [.. access.Endpoints.Select(e => (IEtcdMember?)Members.FirstOrDefault(m => m.Endpoint == e)
            ?? new FakeEtcdMember(e) { StatusFailure = new EtcdRequestException($"{e}: connection refused", isTransient: true) })];
        return Task.FromResult<IEtcdEndpoints>(new Endpoints(clients));
    }

    private sealed class Endpoints(IReadOnlyList<IEtcdMember> members) : IEtcdEndpoints
    {
        public IReadOnlyList<IEtcdMember> Members => members;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
