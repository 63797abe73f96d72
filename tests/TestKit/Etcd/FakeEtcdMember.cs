using System.Runtime.CompilerServices;
using Strata.Core.Etcd;

namespace Strata.TestKit.Etcd;

/// <summary>
/// An etcd endpoint in memory: answers <c>Status</c> with <see cref="Status"/> (or fails with <see cref="StatusFailure"/>),
/// lists <see cref="Members"/>, streams <see cref="Snapshot"/> in chunks (failing after <see cref="FailAfterBytes"/>
/// when set), and counts the snapshots it served.
/// </summary>
public sealed class FakeEtcdMember(Uri endpoint) : IEtcdMember
{
    /// <summary>A member that answers with raft index <paramref name="raftIndex"/> and serves <paramref name="snapshot"/>.</summary>
    public FakeEtcdMember(string endpoint, ulong memberId, ulong raftIndex, byte[] snapshot)
        : this(new Uri(endpoint))
    {
        Status = StatusOf(memberId, raftIndex);
        Snapshot = snapshot;
    }

    /// <inheritdoc />
    public Uri Endpoint { get; } = endpoint;

    /// <summary>What <c>Status</c> answers; null with <see cref="StatusFailure"/>.</summary>
    public EtcdMemberStatus? Status { get; set; }

    /// <summary>Why <c>Status</c> (and every other call) fails: the member is down.</summary>
    public EtcdRequestException? StatusFailure { get; set; }

    /// <summary>When set, <see cref="StatusFailure"/> fails only this many <c>Status</c> calls, then the member answers (it came back).</summary>
    public int? StatusFailuresLeft { get; set; }

    /// <summary>The member list it answers.</summary>
    public IReadOnlyList<EtcdMember> Members { get; set; } = [];

    /// <summary>The bytes the snapshot streams (the bbolt file and etcd's trailer).</summary>
    public byte[] Snapshot { get; set; } = [];

    /// <summary>The size of each chunk of the stream.</summary>
    public int ChunkSize { get; set; } = 32 * 1024;

    /// <summary>The stream breaks after this many bytes (a transient failure) when set.</summary>
    public long? FailAfterBytes { get; set; }

    /// <summary>Whether the break of <see cref="FailAfterBytes"/> is transient (a connection reset) or not (a refusal).</summary>
    public bool FailureIsTransient { get; set; } = true;

    /// <summary>How long <c>Status</c> takes to answer (a member that hangs).</summary>
    public TimeSpan StatusDelay { get; set; }

    /// <summary>How long each chunk of the stream takes.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>How many snapshots were started.</summary>
    public int SnapshotsStarted { get; private set; }

    /// <summary>
    /// The deadline of each call, as the gRPC adapter's dial timeout bounds Status and MemberList: a <c>Status</c> slower
    /// than it fails as the adapter's does (<c>etcd at … did not answer within 0.2 s</c>). <see cref="FakeEtcdConnector"/>
    /// sets it from the access connected with; null: none.
    /// </summary>
    public TimeSpan? DialTimeout { get; set; }

    /// <summary>
    /// A voting member's status, term 3: applied index <paramref name="appliedIndex"/> (default: the committed
    /// <paramref name="raftIndex"/>; 0 as etcd before 3.4 reports it), cluster <paramref name="clusterId"/> (0xc1).
    /// </summary>
    public static EtcdMemberStatus StatusOf(
        ulong memberId, ulong raftIndex, long revision = 1000, IReadOnlyList<string>? errors = null, bool learner = false, ulong? appliedIndex = null,
        ulong clusterId = 0xc1) =>
        new(memberId, clusterId, revision, 3, raftIndex, appliedIndex ?? raftIndex, memberId, 1 << 20, "3.4.23", errors ?? [], learner);

    /// <summary>An alarm as etcd's Status lists it: <c>memberID:{decimal id} alarm:{type} </c> (protobuf's text format, trailing space included).</summary>
    public static string Alarm(ulong memberId, string type) => $"memberID:{memberId} alarm:{type} ";

    /// <inheritdoc />
    public async Task<EtcdMemberStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        if (DialTimeout is { } limit && StatusDelay > limit)
        {
            await Task.Delay(limit, cancellationToken);
            throw new EtcdRequestException($"etcd at {Endpoint.GetLeftPart(UriPartial.Authority)} did not answer within {limit.TotalSeconds:0.#} s", isTransient: true);
        }

        await Task.Delay(StatusDelay, cancellationToken);
        if (StatusFailure is { } failure && StatusFailuresLeft is not <= 0)
        {
            StatusFailuresLeft--;
            throw failure;
        }

        return Status!;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EtcdMember>> MemberListAsync(CancellationToken cancellationToken = default) =>
        StatusFailure is { } failure ? Task.FromException<IReadOnlyList<EtcdMember>>(failure) : Task.FromResult(Members);

    /// <inheritdoc />
    public async IAsyncEnumerable<EtcdSnapshotChunk> SnapshotAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        SnapshotsStarted++;
        if (StatusFailure is { } down)
        {
            throw down;
        }

        for (var offset = 0; offset < Snapshot.Length; offset += ChunkSize)
        {
            await Task.Delay(ChunkDelay, cancellationToken);
            var length = Math.Min(ChunkSize, Snapshot.Length - offset);
            if (FailAfterBytes is { } limit && offset + length > limit)
            {
                throw new EtcdRequestException($"{Endpoint}: the snapshot stream broke after {offset} bytes (connection reset)", FailureIsTransient);
            }

            yield return new EtcdSnapshotChunk(Snapshot.AsMemory(offset, length), (ulong)(Snapshot.Length - offset - length));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> KeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield break;
    }
}
