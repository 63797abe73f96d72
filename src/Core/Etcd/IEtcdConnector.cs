namespace Strata.Core.Etcd;

/// <summary>Reaches a cluster's etcd members over their own gRPC API (the adapter owns the channels and the TLS material).</summary>
public interface IEtcdConnector
{
    /// <summary>
    /// One client per endpoint of <paramref name="access"/>, in its order. Reads the CA, certificate and key now;
    /// material that cannot be read or parsed throws <see cref="EtcdRequestException"/> naming the reference (never
    /// a value). Dials nothing: a member that is down fails its own calls.
    /// </summary>
    Task<IEtcdEndpoints> ConnectAsync(EtcdAccess access, CancellationToken cancellationToken = default);
}
