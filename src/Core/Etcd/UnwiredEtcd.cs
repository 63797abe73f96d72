namespace Strata.Core.Etcd;

/// <summary>The etcd ports of a host that wires none: connecting fails, and no rebuild can run here, each saying so.</summary>
public sealed class UnwiredEtcd : IEtcdConnector, IEtcdRehearsals
{
    /// <summary>The one instance.</summary>
    public static UnwiredEtcd Instance { get; } = new();

    /// <inheritdoc />
    public string? Unavailable => "this host wires no etcd tools";

    /// <inheritdoc />
    public Task<IEtcdEndpoints> ConnectAsync(EtcdAccess access, CancellationToken cancellationToken = default) =>
        Task.FromException<IEtcdEndpoints>(new EtcdRequestException("this host wires no etcd client", isTransient: false));

    /// <inheritdoc />
    public Task<IRehearsedEtcd> RebuildAsync(string snapshotFile, string name, CancellationToken cancellationToken = default) =>
        Task.FromException<IRehearsedEtcd>(new EtcdRehearsalException(Unavailable!));

    /// <inheritdoc />
    public IEtcdSnapshotFile NewSnapshotFile() => throw new EtcdRehearsalException(Unavailable!);
}
