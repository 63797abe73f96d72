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
            findings.Add(problem is not null ? new Finding(subject, null, problem) : await Read(subject, async () =>
                CloudNativePgArchiver.Status(target, await CloudNativePgClusters.GetAsync(client!, cluster.Name, target, cancellationToken), now, policy.RecoveryPointObjective), cancellationToken));
        }

        var connector = new DatabaseConnector(client, client, context.HostCommands, context.Secrets);
        foreach (var target in policy.Databases.Where(d => d.Archiving))
        {
            var subject = WalArchiving.DatabaseSubject(target.Namespace, target.Name);
            findings.Add(unreachable is not null && target.Executor == DatabaseExecutor.Exec ? new Finding(subject, null, unreachable) : await Read(subject, async () =>
                await PostgresArchiver.StatusAsync(await connector.ConnectAsync(target, cancellationToken), policy.RecoveryPointObjective, cancellationToken), cancellationToken));
        }

        return findings;
    }

    private static async Task<Finding> Read(string subject, Func<Task<WalArchivingStatus>> read, CancellationToken cancellationToken)
    {
        var (status, error) = await Attempt(read, cancellationToken);
        return new Finding(subject, status, error);
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
