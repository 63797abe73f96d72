using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.Core.Coverage;

/// <summary>
/// Surveys one cluster for the stateful things in it and decides, against strata.yaml's policies, what protects each:
/// PersistentVolumeClaims (with their StorageClass's snapshot support), StatefulSets and stateful Deployments, database
/// pods recognised by image (<see cref="DatabaseImages"/>), operators' databases (<see cref="DatabaseOperators"/>, only
/// where the CRD is served), and etcd of a self-managed control plane. Reads only; a page at a time.
/// </summary>
public static class CoverageSurvey
{
    /// <summary>Surveys <paramref name="cluster"/> through <paramref name="client"/>; failures of the cluster surface as <see cref="ClusterRequestException"/>.</summary>
    public static async Task<CoverageReport> SurveyAsync(
        StrataConfiguration configuration, ClusterDefinition cluster, IClusterReader client, DateTimeOffset surveyedAt, CancellationToken cancellationToken = default)
    {
        var inventory = await ClusterInventory.ReadAsync(client, cancellationToken);
        return new CoverageReport
        {
            Cluster = cluster.Name,
            SurveyedAt = surveyedAt,
            Entries = new CoverageJudge(configuration, cluster, inventory).Judge(),
        };
    }

    /// <summary>
    /// Connects to <paramref name="cluster"/> and surveys it; a cluster that cannot be reached or read gives a report
    /// that carries the reason in <see cref="CoverageReport.Error"/> (never a secret) rather than an exception.
    /// </summary>
    public static async Task<CoverageReport> RunAsync(
        StrataConfiguration configuration, ClusterDefinition cluster, IClusterConnector clusters, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        try
        {
            var client = await clusters.ConnectAsync(cluster, cancellationToken);
            return await SurveyAsync(configuration, cluster, client, at, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // As a backup does: a cluster that cannot be reached or read is reported, and the other clusters are still surveyed.
            // The error reaches /status, the status function and the stored report, not only the page that redacts: the
            // API server's address (and whatever a URL carries) is left out where the error is made.
            return new CoverageReport { Cluster = cluster.Name, SurveyedAt = at, Error = Telemetry.AddressRedaction.Redact(e.Message) };
        }
    }
}
