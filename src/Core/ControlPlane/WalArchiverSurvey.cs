using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.Core.Databases.CloudNativePg;
using Strata.Core.Freshness;
using Strata.Core.Ports;

namespace Strata.Core.ControlPlane;

/// <summary>
/// Reads every WAL archiver one (policy, cluster) watches — its CloudNativePG Clusters (their status, through the
/// API) and its PostgreSQL targets with <c>archiving: true</c> (<c>pg_stat_archiver</c>, through the target's
/// executor) — each on its own: one that cannot be read is reported with why, and the others are still read.
/// </summary>
public static class WalArchiverSurvey
{
    /// <summary>How long one archiver's reading may take.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    /// <summary>One archiver: its subject (<see cref="WalArchiving.CloudNativePgSubject"/>, <see cref="WalArchiving.DatabaseSubject"/>), and its status or why it could not be read.</summary>
    /// <param name="Subject">Which archiver.</param>
    /// <param name="Status">What was read and judged; null when it could not be read.</param>
    /// <param name="Unreadable">Why it could not be read.</param>
    public sealed record Finding(string Subject, WalArchivingStatus? Status, string? Unreadable);

    /// <summary>Whether <paramref name="policy"/> watches any archiver.</summary>
    public static bool Watches(PolicyDefinition policy) => policy.CloudNativePG.Count > 0 || policy.Databases.Any(d => d.Archiving);

    /// <summary>Reads the archivers of <paramref name="policy"/> on <paramref name="cluster"/> at <paramref name="now"/>.</summary>
    public static async Task<IReadOnlyList<Finding>> ReadAsync(
        ControlPlaneContext context, PolicyDefinition policy, ClusterDefinition cluster, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        IClusterWriter? client = null;
        string? unreachable = null;
        try
        {
            client = await context.Clusters.ConnectAsync(cluster, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            unreachable = $"cluster {cluster.Name} cannot be reached: {e.Message}";
        }

        var findings = new List<Finding>();
        string? missing = null;
        if (client is not null && policy.CloudNativePG.Count > 0)
        {
            var (notServed, failed) = await Attempt(() => CloudNativePgClusters.MissingAsync(client, cluster.Name, cancellationToken), cancellationToken);
            missing = notServed ?? failed;
        }

        foreach (var target in policy.CloudNativePG)
        {
            var subject = WalArchiving.CloudNativePgSubject(target.Namespace, target.Cluster);
            var problem = unreachable ?? missing;
            findings.Add(problem is not null ? new Finding(subject, null, problem) : await Read(subject, async ct =>
                CloudNativePgArchiver.Status(target, await CloudNativePgClusters.GetAsync(client!, cluster.Name, target, ct), now, policy.RecoveryPointObjective), cancellationToken));
        }

        var connector = new DatabaseConnector(client, client, context.HostCommands, context.Secrets);
        foreach (var target in policy.Databases.Where(d => d.Archiving))
        {
            var subject = WalArchiving.DatabaseSubject(target.Namespace, target.Name);
            findings.Add(unreachable is not null && target.Executor == DatabaseExecutor.Exec ? new Finding(subject, null, unreachable) : await Read(subject, async ct =>
                await PostgresArchiver.StatusAsync(await connector.ConnectAsync(target, ct), policy.RecoveryPointObjective, ct), cancellationToken));
        }

        return findings;
    }

    /// <summary>Reads one archiver, for at most <see cref="ReadTimeout"/>: a server that hangs must not stall the sweep that raises every other alert.</summary>
    private static async Task<Finding> Read(string subject, Func<CancellationToken, Task<WalArchivingStatus>> read, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        var (status, error) = await Attempt(() => read(timeout.Token), cancellationToken);
        return new Finding(subject, status, timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? $"no answer within {ReadTimeout.TotalSeconds:0} s" : error);
    }

    /// <summary>Runs <paramref name="read"/>; whatever it fails with (but cancellation) becomes the reason.</summary>
    private static async Task<(T? Value, string? Error)> Attempt<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return (await read(), null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return (default, e.Message);
        }
    }
}
