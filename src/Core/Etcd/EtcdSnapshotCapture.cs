using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Results;

namespace Strata.Core.Etcd;

/// <summary>
/// One etcd snapshot into the store: every endpoint's status read at once → the member chosen
/// (<see cref="EtcdMemberChoice"/>; the cluster's alarms that do not pass a member over are warnings) → its member
/// list (a warning when the chosen member is not in it) → <c>Maintenance.Snapshot</c> streamed into
/// <c>etcd/snapshot.db</c> through <see cref="EtcdSnapshotIntegrity"/> (one SHA-256 pass for etcd's trailer and the
/// artifact's hash), committed only when intact. A stream that breaks on a transient failure is discarded (never
/// committed, so the write-once key stays free) and taken once more from the best member that is left, read afresh —
/// never from one behind the first choice.
/// Problems go to the run's result; only cancellation and a failing store throw.
/// </summary>
internal sealed class EtcdSnapshotCapture(IEtcdEndpoints endpoints, LayerContext context)
{
    /// <summary>The report between progress reports of the stream, in bytes.</summary>
    private const long ProgressEvery = 1 << 20;

    /// <summary>How many times the member list is asked for when the member does not answer in time.</summary>
    private const int MemberListAttempts = 3;

    private readonly DateTimeOffset _startedAt = context.Time.GetUtcNow();
    private readonly long _started = context.Time.GetTimestamp();

    /// <summary>Takes the snapshot; null (with the problem recorded) when none was committed.</summary>
    public async Task<EtcdSnapshotRecord?> TakeAsync(CancellationToken cancellationToken)
    {
        var members = endpoints.Members;
        var readings = await ReadAllAsync(members, null, cancellationToken);
        var choice = EtcdMemberChoice.Choose(readings);
        Warn(choice);
        if (choice.Chosen is not { } chosen)
        {
            Error($"no etcd member can be snapshotted: {choice.NoneBecause} ({choice.Describe()})", choice.ClustersDisagree ? ProblemReasons.EtcdMisconfigured : ProblemReasons.EtcdUnreachable);
            return null;
        }

        var list = await MemberListAsync(members[chosen], cancellationToken);
        var listFrom = readings[chosen].Where;
        var attempt = await StreamAsync(members[chosen], cancellationToken);
        if (attempt.Broken is { IsTransient: true } broken)
        {
            // Once more, from the best of the others as they stand now, but never from one behind the first choice.
            var floor = readings[chosen].Status!;
            var again = await ReadAllAsync(members, chosen, cancellationToken);
            again[chosen] = EtcdStatusReading.Failed(members[chosen].Endpoint, broken.Message);
            var retry = EtcdMemberChoice.Choose(again);
            if (retry.Chosen is { } other && again[other].Status!.ClusterId != floor.ClusterId)
            {
                // The first choice is out of this reading, so the others may agree among themselves and still be another
                // cluster's (a member listed by mistake that was down at the first reading).
                Error($"the etcd snapshot from {readings[chosen].Where} broke ({broken.Message}), and no other member can take it over: "
                    + $"{again[other].Where} answers for cluster {EtcdIds.Hex(again[other].Status!.ClusterId)}, not {EtcdIds.Hex(floor.ClusterId)}",
                    ProblemReasons.EtcdMisconfigured);
                return null;
            }

            if (retry.Chosen is not { } next || EtcdMemberChoice.Compare(again[next].Status!, floor) < 0)
            {
                var why = retry.Chosen is { } behind
                    ? $"the best of the others, {again[behind].Where}, is behind it ({EtcdMemberChoice.Behind(again[behind].Status!, floor)})"
                    : $"{retry.NoneBecause} ({retry.Describe()})";
                Error($"the etcd snapshot from {readings[chosen].Where} broke ({broken.Message}), and no other member can take it over: {why}",
                    retry.ClustersDisagree ? ProblemReasons.EtcdMisconfigured : ProblemReasons.EtcdUnreachable);
                return null;
            }

            var failed = choice.Readings[chosen] with { Chosen = false, Problem = $"snapshot broke: {broken.Message}" };
            choice = retry with { Readings = [.. retry.Readings.Select((r, i) => i == chosen ? failed : r)] };
            (readings, chosen) = (again, next);
            if (list.Count == 0)
            {
                list = await MemberListAsync(members[chosen], cancellationToken);
                listFrom = readings[chosen].Where;
            }

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
        if (list.Count > 0 && list.All(m => m.Id != status.MemberId))
        {
            context.Result.Warning(
                $"member {status.MemberHex}, which answered the status at {readings[chosen].Where} and gave the snapshot, is not in the member list {listFrom} gave "
                + $"({string.Join(", ", list.Select(m => EtcdIds.Hex(m.Id)))}): a load balancer or proxy in front of the endpoints may send each call to another member, "
                + "or another cluster — list the members' own client URLs in etcd.endpoints",
                EtcdLayer.Resource, null, "snapshot", ProblemReasons.EtcdMisconfigured);
        }

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
            RaftAppliedIndex = status.AppliedIndex,
            DbSize = status.DbSize,
            EtcdVersion = status.Version,
            Members = [.. list.Select(m => new EtcdMemberRecord(EtcdIds.Hex(m.Id), m.Name, m.PeerUrls, m.ClientUrls, m.IsLearner))],
            Endpoints = choice.Readings,
            StartedAt = _startedAt,
            Duration = context.Time.GetElapsedTime(_started),
        };
    }

    /// <summary>
    /// Every endpoint's status at once; <paramref name="skip"/> is left unread (null). Each call is bounded by the
    /// member's own dial timeout (<see cref="IEtcdMember"/>: the adapter's), and all by the layer's overall timeout.
    /// </summary>
    private static async Task<EtcdStatusReading[]> ReadAllAsync(IReadOnlyList<IEtcdMember> members, int? skip, CancellationToken cancellationToken) =>
        await Task.WhenAll(members.Select((m, i) => i == skip ? Task.FromResult<EtcdStatusReading>(null!) : ReadAsync(m, cancellationToken)));

    private static async Task<EtcdStatusReading> ReadAsync(IEtcdMember member, CancellationToken cancellationToken)
    {
        try
        {
            return EtcdStatusReading.Answered(member.Endpoint, await member.StatusAsync(cancellationToken));
        }
        catch (EtcdRequestException e)
        {
            return EtcdStatusReading.Failed(member.Endpoint, e.Message);
        }
    }

    /// <summary>
    /// The member list, for the restore guide; a member that will not give it leaves a warning and an empty list. The
    /// member has just answered its status and served the snapshot, so a transient failure (a call past its dial timeout
    /// on a busy host) is tried again, up to <see cref="MemberListAttempts"/> times, before the guide goes without it.
    /// </summary>
    private async Task<IReadOnlyList<EtcdMember>> MemberListAsync(IEtcdMember member, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await member.MemberListAsync(cancellationToken);
            }
            catch (EtcdRequestException e) when (e.IsTransient && attempt < MemberListAttempts)
            {
                // Tried again at once: the call's own dial timeout already waited.
            }
            catch (EtcdRequestException e)
            {
                return MemberListMissing(member, e);
            }
        }
    }

    private IReadOnlyList<EtcdMember> MemberListMissing(IEtcdMember member, EtcdRequestException e)
    {
        context.Result.Warning($"the etcd member list could not be read from {EtcdEndpointText.Describe(member.Endpoint)} ({e.Message}): "
            + "the snapshot is kept, but its record names no members for the restore guide", EtcdLayer.Resource, null, "snapshot", ProblemReasons.EtcdUnreachable);
        return [];
    }

    /// <summary>
    /// One warning per distinct thing the members reported that did not pass them over — etcd reports the cluster's alarms
    /// on every member alike (<c>NOSPACE</c>: a snapshot still works, but the cluster refuses writes) — naming who said it.
    /// </summary>
    private void Warn(EtcdChoice choice)
    {
        foreach (var warning in choice.Readings.SelectMany(r => r.Warnings.Select(w => (Warning: w, r.Endpoint))).GroupBy(x => x.Warning, StringComparer.Ordinal))
        {
            var advice = warning.Key.StartsWith("alarm NOSPACE", StringComparison.Ordinal)
                ? ": the cluster refuses writes until space is freed (compact, defragment) and the alarm disarmed (etcdctl alarm disarm); the snapshot is taken regardless"
                : warning.Key.StartsWith("alarm ", StringComparison.Ordinal) ? ": it does not concern the member snapshotted, which is taken regardless" : "";
            context.Result.Warning($"etcd reports {warning.Key} (at {string.Join(", ", warning.Select(x => x.Endpoint))}){advice}",
                EtcdLayer.Resource, null, "snapshot", ProblemReasons.EtcdAlarm);
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
