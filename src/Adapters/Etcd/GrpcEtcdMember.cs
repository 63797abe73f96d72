using System.Runtime.CompilerServices;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Strata.Adapters.Etcd.Protocol;
using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>
/// One endpoint on its own channel. Status, MemberList and each Range page must answer within the dial timeout; a
/// snapshot's first message too, after which the stream runs as long as the caller reads it (its token only).
/// </summary>
internal sealed class GrpcEtcdMember : IEtcdMember, IDisposable
{
    /// <summary>Keys per Range page.</summary>
    public const int PageSize = 1000;

    private readonly GrpcChannel _channel;
    private readonly EtcdServerCheck _check;
    private readonly EtcdTlsMaterial _material;
    private readonly TimeSpan _dialTimeout;
    private readonly Maintenance.MaintenanceClient _maintenance;
    private readonly Protocol.Cluster.ClusterClient _cluster;
    private readonly KV.KVClient _kv;

    public GrpcEtcdMember(Uri endpoint, EtcdTlsMaterial material, TimeSpan dialTimeout)
    {
        Endpoint = endpoint;
        _material = material;
        _dialTimeout = dialTimeout;
        _check = new EtcdServerCheck(endpoint, material);
        _channel = EtcdChannels.Create(endpoint, material, _check, dialTimeout);
        _maintenance = new Maintenance.MaintenanceClient(_channel);
        _cluster = new Protocol.Cluster.ClusterClient(_channel);
        _kv = new KV.KVClient(_channel);
    }

    public Uri Endpoint { get; }

    public async Task<EtcdMemberStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var status = await CallAsync(token => _maintenance.StatusAsync(new StatusRequest(), cancellationToken: token).ResponseAsync, cancellationToken);
        return new EtcdMemberStatus(
            status.Header?.MemberId ?? 0, status.Header?.ClusterId ?? 0, status.Header?.Revision ?? 0, status.RaftTerm, status.RaftIndex,
            status.RaftAppliedIndex, status.Leader, status.DbSize, status.Version, [.. status.Errors], status.IsLearner);
    }

    public async Task<IReadOnlyList<EtcdMember>> MemberListAsync(CancellationToken cancellationToken = default)
    {
        var list = await CallAsync(token => _cluster.MemberListAsync(new MemberListRequest(), cancellationToken: token).ResponseAsync, cancellationToken);
        return [.. list.Members.Select(m => new EtcdMember(m.ID, m.Name, [.. m.PeerURLs], [.. m.ClientURLs], m.IsLearner))];
    }

    public async IAsyncEnumerable<EtcdSnapshotChunk> SnapshotAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_dialTimeout);
        using var call = _maintenance.Snapshot(new SnapshotRequest(), cancellationToken: deadline.Token);
        var first = true;
        while (true)
        {
            bool moved;
            try
            {
                moved = await call.ResponseStream.MoveNext(deadline.Token);
            }
            catch (RpcException e)
            {
                // After the first message the deadline is off: only its timer, before that, or the caller cancels it.
                throw await FailureAsync(e, deadline.IsCancellationRequested, cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new EtcdRequestException($"etcd at {Authority} did not answer within {_dialTimeout.TotalSeconds:0.#} s", isTransient: true);
            }

            if (!moved)
            {
                yield break;
            }

            if (first)
            {
                // The stream has begun: from here only the caller's token ends it.
                deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                first = false;
            }

            var message = call.ResponseStream.Current;
            yield return new EtcdSnapshotChunk(message.Blob.Memory, message.RemainingBytes);
        }
    }

    public async IAsyncEnumerable<string> KeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = Encoding.UTF8.GetBytes(prefix);
        var request = new RangeRequest
        {
            Key = ByteString.CopyFrom(start),
            RangeEnd = ByteString.CopyFrom(EtcdKeyRange.PrefixEnd(start)),
            Limit = PageSize,
            KeysOnly = true,
        };
        while (true)
        {
            var page = await CallAsync(token => _kv.RangeAsync(request, cancellationToken: token).ResponseAsync, cancellationToken);
            foreach (var kv in page.Kvs)
            {
                yield return kv.Key.ToStringUtf8();
            }

            if (!page.More || page.Kvs.Count == 0)
            {
                yield break;
            }

            // Every later page reads the revision of the first, so the keys are one consistent listing.
            request = request.Clone();
            request.Key = EtcdKeyRange.After(page.Kvs[^1].Key);
            request.Revision = request.Revision == 0 ? page.Header?.Revision ?? 0 : request.Revision;
        }
    }

    public void Dispose() => _channel.Dispose();

    private string Authority => Endpoint.GetLeftPart(UriPartial.Authority);

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_dialTimeout);
        try
        {
            return await call(deadline.Token);
        }
        catch (RpcException e)
        {
            throw await FailureAsync(e, deadline.IsCancellationRequested, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EtcdRequestException($"etcd at {Authority} did not answer within {_dialTimeout.TotalSeconds:0.#} s", isTransient: true);
        }
    }

    private async Task<Exception> FailureAsync(RpcException e, bool deadlinePassed, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("the etcd call was cancelled", e, cancellationToken);
        }

        if (deadlinePassed && e.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded)
        {
            return EtcdCallFailures.Map(e, Endpoint, _check, _material, timedOut: _dialTimeout);
        }

        var alert = EtcdCallFailures.MayHideAlert(e, Endpoint, _check)
            ? await EtcdTlsProbe.AlertAsync(Endpoint, EtcdChannels.TlsOptions(_material, _check), _dialTimeout, cancellationToken)
            : null;
        return EtcdCallFailures.Map(e, Endpoint, _check, _material, timedOut: null, alert);
    }
}
