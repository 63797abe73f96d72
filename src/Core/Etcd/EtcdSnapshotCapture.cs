using System.Globalization;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Results;

namespace Strata.Core.Etcd;

/// <summary>
/// One etcd snapshot into the store: every endpoint's status read at once → the member chosen
/// (<see cref="EtcdMemberChoice"/>) → its member list → <c>Maintenance.Snapshot</c> streamed into
/// <c>etcd/snapshot.db</c> through <see cref="EtcdSnapshotIntegrity"/> (one SHA-256 pass for etcd's trailer and the
/// artifact's hash), committed only when intact. A
/// stream that breaks on a transient failure is discarded (never committed, so the write-once key stays free) and
/// taken once more from the best member that is left, read afresh — never from one behind the first choice.
/// Problems go to the run's result; only cancellation and a failing store throw.
/// </summary>
internal sealed class EtcdSnapshotCapture(EtcdAccess access, IEtcdEndpoints endpoints, LayerContext context)
{
    /// <summary>The report between progress reports of the stream, in bytes.</summary>
    private const long ProgressEvery = 1 << 20;

    private readonly DateTimeOffset _startedAt = context.Time.GetUtcNow();
    private readonly long _started = context.Time.GetTimestamp();

    /// <summary>Takes the snapshot; null (with the problem recorded) when none was committed.</summary>
    public async Task<EtcdSnapshotRecord?> TakeAsync(CancellationToken cancellationToken)
    {
        var members = endpoints.Members;
        var readings = await ReadAllAsync(members, cancellationToken);
        var choice = EtcdMemberChoice.Choose(readings);
        if (choice.Chosen is not { } chosen)
        {
            Error($"no etcd member can be snapshotted: {choice.NoneBecause} ({choice.Describe()})", ProblemReasons.EtcdUnreachable);
            return null;
        }

        var list = await MemberListAsync(members[chosen], cancellationToken);
        var attempt = await StreamAsync(members[chosen], cancellationToken);
        if (attempt.Broken is { IsTransient: true } broken)
        {
            // Once more, from the best of the others as they stand now, but never from one behind the first choice.
            var floor = readings[chosen].Status!.RaftIndex;
            var again = await ReadAllAsync(members, cancellationToken, skip: chosen);
            again[chosen] = EtcdStatusReading.Failed(members[chosen].Endpoint, broken.Message);
            var retry = EtcdMemberChoice.Choose(again);
            if (retry.Chosen is not { } next || again[next].Status!.RaftIndex < floor)
            {
                var why = retry.Chosen is { } behind
                    ? $"the best of the others, {again[behind].Where}, is behind it (raft index {again[behind].Status!.RaftIndex} < {floor})"
                    : $"{retry.NoneBecause} ({retry.Describe()})";
                Error($"the etcd snapshot from {readings[chosen].Where} broke ({broken.Message}), and no other member can take it over: {why}", ProblemReasons.EtcdUnreachable);
                return null;
            }

            var failed = choice.Readings[chosen] with { Chosen = false, Problem = $"snapshot broke: {broken.Message}" };
            choice = retry with { Readings = [.. retry.Readings.Select((r, i) => i == chosen ? failed : r)] };
            (readings, chosen) = (again, next);
            list = list.Count > 0 ? list : await MemberListAsync(members[chosen], cancellationToken);
            attempt = await StreamAsync(members[chosen], cancellationToken);
        }

        if (attempt.Broken is { } failure)
        {
            Error($"the etcd snapshot from {readings[chosen].Where} failed: {failure.Message}", ProblemReasons.EtcdUnreachable);
            return null;
        }

        if (attempt.Verdict is not { Intact: true } verdict)
        {
            Error($"the etcd snapshot from {readings[chosen].Where} is not intact, and was not kept: {attempt.Verdict!.Problem}", ProblemReasons.IntegrityFailed);
            return null;
        }

        var status = readings[chosen].Status!;
        return new EtcdSnapshotRecord
        {
            Path = ArtifactLayout.EtcdSnapshotPath,
            Size = verdict.Length,
            Sha256 = verdict.Sha256,
            DatabaseSha256 = verdict.DatabaseSha256!,
            PageSize = verdict.PageSize,
            Endpoint = readings[chosen].Where,
            MemberId = status.MemberHex,
            MemberName = list.FirstOrDefault(m => m.Id == status.MemberId)?.Name is { Length: > 0 } name ? name : null,
            ClusterId = EtcdIds.Hex(status.ClusterId),
            Revision = status.Revision,
            RaftTerm = status.RaftTerm,
            RaftIndex = status.RaftIndex,
            DbSize = status.DbSize,
            EtcdVersion = status.Version,
            Members = [.. list.Select(m => new EtcdMemberRecord(EtcdIds.Hex(m.Id), m.Name, m.PeerUrls, m.ClientUrls, m.IsLearner))],
            Endpoints = choice.Readings,
            StartedAt = _startedAt,
            Duration = context.Time.GetElapsedTime(_started),
        };
    }

    /// <summary>Every endpoint's status at once, each within the dial timeout; <paramref name="skip"/> is left unread (null).</summary>
    private async Task<EtcdStatusReading[]> ReadAllAsync(IReadOnlyList<IEtcdMember> members, CancellationToken cancellationToken, int? skip = null) =>
        await Task.WhenAll(members.Select((m, i) => i == skip ? Task.FromResult<EtcdStatusReading>(null!) : ReadAsync(m, cancellationToken)));

    private async Task<EtcdStatusReading> ReadAsync(IEtcdMember member, CancellationToken cancellationToken)
    {
        using var dial = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        dial.CancelAfter(access.DialTimeout);
        try
        {
            return EtcdStatusReading.Answered(member.Endpoint, await member.StatusAsync(dial.Token));
        }
        catch (EtcdRequestException e)
        {
            return EtcdStatusReading.Failed(member.Endpoint, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return EtcdStatusReading.Failed(member.Endpoint, $"no status within the dial timeout ({access.DialTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s)");
        }
    }

    /// <summary>The member list, for the restore guide; a member that will not give it leaves a warning and an empty list.</summary>
    private async Task<IReadOnlyList<EtcdMember>> MemberListAsync(IEtcdMember member, CancellationToken cancellationToken)
    {
        using var dial = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        dial.CancelAfter(access.DialTimeout);
        try
        {
            return await member.MemberListAsync(dial.Token);
        }
        catch (Exception e) when (e is EtcdRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            context.Result.Warning($"the etcd member list could not be read from {EtcdEndpointText.Describe(member.Endpoint)} ({e.Message}): "
                + "the snapshot is kept, but its record names no members for the restore guide", EtcdLayer.Resource, null, "snapshot", ProblemReasons.EtcdUnreachable);
            return [];
        }
    }

    /// <summary>
    /// Streams one member's snapshot into the store; commits it only when intact. The integrity check hashes every
    /// byte once, for etcd's trailer and for the artifact's SHA-256 both (<see cref="EtcdSnapshotVerdict.Sha256"/>).
    /// </summary>
    private async Task<Attempt> StreamAsync(IEtcdMember member, CancellationToken cancellationToken)
    {
        var where = EtcdEndpointText.Describe(member.Endpoint);
        var integrity = new EtcdSnapshotIntegrity();
        await using var upload = await context.Store.CreateAsync(ArtifactLayout.ArtifactKey(context.BackupPrefix, ArtifactLayout.EtcdSnapshotPath), cancellationToken);
        var reported = 0L;
        try
        {
            await foreach (var chunk in member.SnapshotAsync(cancellationToken))
            {
                integrity.Append(chunk.Data.Span);
                await upload.Content.WriteAsync(chunk.Data, cancellationToken);
                if (integrity.Length - reported >= ProgressEvery || chunk.RemainingBytes == 0)
                {
                    reported = integrity.Length;
                    context.Progress?.Report(new BackupProgress(0, 0, 0, reported, $"snapshot of {where}", EtcdLayer.Resource));
                }
            }
        }
        catch (EtcdRequestException e)
        {
            // Not committed: disposing the upload discards it, and the key can be written afresh.
            return new Attempt(null, e);
        }

        var verdict = integrity.Complete();
        if (verdict.Intact)
        {
            await upload.Content.FlushAsync(cancellationToken);
            await upload.CommitAsync(cancellationToken);
        }

        return new Attempt(verdict, null);
    }

    private void Error(string message, string reason) => context.Result.Error(message, EtcdLayer.Resource, null, "snapshot", reason);

    /// <summary>How one stream ended: judged (committed when intact), or broken.</summary>
    private sealed record Attempt(EtcdSnapshotVerdict? Verdict, EtcdRequestException? Broken);
}
