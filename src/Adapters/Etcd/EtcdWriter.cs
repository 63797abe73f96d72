using Google.Protobuf;
using Grpc.Core;
using Strata.Adapters.Etcd.Protocol;
using Strata.Core.Etcd;
using Strata.Core.Ports;

namespace Strata.Adapters.Etcd;

/// <summary>
/// Fills an etcd with keys through <c>KV.Put</c>, many in flight at once over one HTTP/2 connection: how tests, the demo
/// and the benchmarks make an etcd worth snapshotting. Strata itself never writes to a cluster's etcd — backups read it
/// (Status, MemberList, Snapshot, keys-only Range), and a restore is an offline <c>etcdctl snapshot restore</c>.
/// </summary>
public static class EtcdWriter
{
    /// <summary>Puts in flight at once by default.</summary>
    public const int DefaultConcurrency = 16;

    /// <summary>Puts <paramref name="items"/> into the plaintext etcd at <paramref name="endpoint"/> (<c>http://…</c>); returns how many.</summary>
    public static Task<long> PutAsync(Uri endpoint, IEnumerable<KeyValuePair<string, byte[]>> items, CancellationToken cancellationToken = default) =>
        PutAsync(new EtcdAccess { Endpoints = [endpoint] }, NoSecrets.Instance, items, DefaultConcurrency, cancellationToken);

    /// <summary>
    /// Puts <paramref name="items"/> (enumerated once, lazily) into the first endpoint of <paramref name="access"/>,
    /// with its TLS material if any, <paramref name="concurrency"/> at a time; returns how many. A failed put throws
    /// <see cref="EtcdRequestException"/> and stops the rest.
    /// </summary>
    public static async Task<long> PutAsync(
        EtcdAccess access, ISecretValues secrets, IEnumerable<KeyValuePair<string, byte[]>> items, int concurrency = DefaultConcurrency,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var endpoint = access.Endpoints.Count > 0 ? access.Endpoints[0] : throw new EtcdRequestException("etcd: no endpoints are configured", isTransient: false);
        using var material = await EtcdTlsMaterial.ReadAsync(access, secrets, cancellationToken);
        var check = new EtcdServerCheck(endpoint, material);
        using var channel = EtcdChannels.Create(endpoint, material, check, access.DialTimeout);
        var kv = new KV.KVClient(channel);
        long count = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(items, options, async (item, token) =>
        {
            try
            {
                await kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(item.Key), Value = ByteString.CopyFrom(item.Value) }, cancellationToken: token);
            }
            catch (RpcException e) when (!token.IsCancellationRequested)
            {
                throw EtcdCallFailures.Map(e, endpoint, check, material, timedOut: null);
            }

            Interlocked.Increment(ref count);
        });
        return count;
    }

    private sealed class NoSecrets : ISecretValues
    {
        public static NoSecrets Instance { get; } = new();

        public Task<string> ResolveAsync(Core.Configuration.SecretReference reference, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("a plaintext endpoint has no secrets");
    }
}
