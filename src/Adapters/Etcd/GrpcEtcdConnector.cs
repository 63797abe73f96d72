using Strata.Core.Etcd;
using Strata.Core.Ports;

namespace Strata.Adapters.Etcd;

/// <summary>
/// Reaches etcd members over etcd's v3 gRPC API (<c>Protos/etcd_api.proto</c>), one channel per endpoint so each
/// member answers for itself: <c>http://</c> endpoints in plaintext, <c>https://</c> with the CA, client certificate
/// and key of the cluster's <c>etcd:</c> section, read through <see cref="ISecretValues"/> (Key Vault, the environment
/// or a file) and kept in memory.
/// </summary>
/// <param name="secrets">Reads the CA, client certificate and key references.</param>
public sealed class GrpcEtcdConnector(ISecretValues secrets) : IEtcdConnector
{
    /// <inheritdoc />
    public async Task<IEtcdEndpoints> ConnectAsync(EtcdAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (access.Endpoints.Count == 0)
        {
            throw new EtcdRequestException("etcd: no endpoints are configured", isTransient: false);
        }

        if (access.DialTimeout <= TimeSpan.Zero)
        {
            throw new EtcdRequestException($"etcd: dialTimeout must be positive, not {access.DialTimeout}", isTransient: false);
        }

        var material = await EtcdTlsMaterial.ReadAsync(access, secrets, cancellationToken);
        var members = new List<GrpcEtcdMember>();
        try
        {
            foreach (var endpoint in access.Endpoints)
            {
                members.Add(new GrpcEtcdMember(endpoint, material, access.DialTimeout));
            }
        }
        catch
        {
            members.ForEach(m => m.Dispose());
            material.Dispose();
            throw;
        }

        return new GrpcEtcdEndpoints(members, material);
    }
}
