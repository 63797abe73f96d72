using System.Globalization;
using Strata.Core.Configuration;

namespace Strata.Core.Freshness;

/// <summary>
/// Judges a WAL archiver — the part of a PostgreSQL server that makes point-in-time recovery possible between base
/// backups, and that fails silently — against the policy's recovery-point objective. Failing (the last attempt failed
/// after the last success, CloudNativePG's <c>ContinuousArchiving</c> condition is False, or <c>archive_mode</c> is off)
/// is judged without an objective; stale (the last WAL archived, or for CloudNativePG the last base backup, is older
/// than the objective) only with one. A quiet database archives nothing until <c>archive_timeout</c> forces a segment
/// switch, so that setting must be shorter than the objective, or a healthy archiver reads as stale.
/// </summary>
public static class WalArchiving
{
    /// <summary>The alert kind of an archiver that fails or is stale.</summary>
    public const string Kind = "wal-archiving";

    /// <summary>The alert kind of an archiver whose state could not be read (its cluster, pod or server unreachable).</summary>
    public const string UnreadableKind = "wal-archiving-unreadable";

    /// <summary>The subject of a CloudNativePG Cluster in dedup keys: <c>cnpg/{namespace}/{cluster}</c>.</summary>
    public static string CloudNativePgSubject(string ns, string cluster) => $"cnpg/{ns}/{cluster}";

    /// <summary>The subject of a database target in dedup keys: <c>databases/{namespace}/{target}</c>.</summary>
    public static string DatabaseSubject(string ns, string target) => $"databases/{ns}/{target}";

    /// <summary>The dedup key of the archiving alert of one archiver of (policy, cluster).</summary>
    public static string DedupKey(string policy, string cluster, string subject) => $"{Kind}/{policy}/{cluster}/{subject}";

    /// <summary>The dedup key of the alert that one archiver of (policy, cluster) could not be read.</summary>
    public static string UnreadableKey(string policy, string cluster, string subject) => $"{UnreadableKind}/{policy}/{cluster}/{subject}";

    /// <summary>Judges <paramref name="reading"/> against <paramref name="objective"/> (null: failures only).</summary>
    public static WalArchivingJudgment Judge(WalArchiverReading reading, TimeSpan? objective) =>
        reading.Source == WalArchiverSource.CloudNativePg ? JudgeCluster(reading, objective) : JudgeServer(reading, objective);

    private static WalArchivingJudgment JudgeCluster(WalArchiverReading r, TimeSpan? objective)
    {
        if (r.Condition == "False")
        {
            return new(WalArchivingState.Failing, $"ContinuousArchiving is False{Since(r.ConditionSince)} ({r.ConditionReason ?? "no reason"}): {r.ConditionMessage ?? "no message"}");
        }

        if (r.Condition != "True")
        {
            return new(WalArchivingState.Unknown, "the Cluster reports no ContinuousArchiving condition: no WAL archive is configured, or nothing was archived yet");
        }

        return objective is { } rpo && r.LastSuccessfulBackupAt is { } last && r.ReadAt - last > rpo
            ? new(WalArchivingState.Stale, $"WAL is archived, but the last successful base backup ({At(last)}) is {Age(r.ReadAt - last)} old, past the objective of {Age(rpo)}")
            : new(WalArchivingState.Healthy, "ContinuousArchiving is True" + (r.LastSuccessfulBackupAt is { } b ? $"; last successful base backup {At(b)}" : ""));
    }

    private static WalArchivingJudgment JudgeServer(WalArchiverReading r, TimeSpan? objective)
    {
        if (r.ArchiveMode == "off")
        {
            return new(WalArchivingState.Failing, "archive_mode is off: the server archives no WAL");
        }

        if (r.LastFailedAt is { } failed && (r.LastArchivedAt is not { } archived || failed > archived))
        {
            return new(WalArchivingState.Failing, $"the last archive attempt failed at {At(failed)} (WAL {r.LastFailedWal ?? "?"}; {r.FailedCount ?? 0} failure(s) since {At(r.StatsResetAt)})"
                + (r.LastArchivedAt is { } ok ? $"; the last success was at {At(ok)}" : "; nothing archived since"));
        }

        if (r.LastArchivedAt is not { } last)
        {
            return objective is { } limit && r.StatsResetAt is { } reset && r.ReadAt - reset > limit
                ? new(WalArchivingState.Stale, $"nothing was archived since the statistics began at {At(reset)}, {Age(r.ReadAt - reset)} ago, past the objective of {Age(limit)}")
                : new(WalArchivingState.Unknown, "nothing was archived yet since the statistics began");
        }

        var age = r.ReadAt - last;
        return objective is { } rpo && age > rpo
            ? new(WalArchivingState.Stale, $"the last WAL ({r.LastArchivedWal ?? "?"}) was archived at {At(last)}, {Age(age)} ago, past the objective of {Age(rpo)} (is archive_timeout shorter than the objective?)")
            : new(WalArchivingState.Healthy, $"the last WAL ({r.LastArchivedWal ?? "?"}) was archived at {At(last)}, {Age(age)} ago");
    }

    private static string Since(DateTimeOffset? at) => at is { } t ? $" since {At(t)}" : "";

    private static string At(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "?";

    private static string Age(TimeSpan age) =>
        age < TimeSpan.Zero ? "0s" : DurationText.Format(age.TotalMinutes < 1 ? TimeSpan.FromSeconds(Math.Round(age.TotalSeconds)) : TimeSpan.FromMinutes(Math.Round(age.TotalMinutes)));
}
