using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.Coverage;
using Strata.Core.Serialization;
using Strata.Sandbox;

namespace Strata.Cli.Commands;

/// <summary>
/// The coverage part of <c>strata demo</c>: the survey <c>strata coverage</c> makes, of the first sandbox against a policy
/// that snapshots <c>shop</c>'s claims and dumps one database. Two database pods are added for it — <c>accounts-db-0</c>
/// (PostgreSQL, the policy's target) and <c>orders-db-0</c> (MariaDB, nobody's target) — so the report shows a protected
/// claim and database, the claim of a class no VolumeSnapshotClass serves and a database nothing dumps as unprotected,
/// and the GitOps-managed Deployments as rebuildable.
/// </summary>
internal static class DemoCoverage
{
    private const string Policies = """
        policies:
          - name: demo-coverage
            clusters: [sandbox]
            schedule: "0 2 * * *"
            scope: { includeNamespaces: [shop, shop-volumes] } # shop-volumes: where the databases part restored its claims
            volumes: snapshot
            databases:
              - { name: accounts, namespace: shop, pod: accounts-db-0, passwordSecret: { name: accounts-db, key: password }, databases: [accounts] }
        """;

    public static async Task<JsonNode?> RunAsync(SandboxApiServer source, bool json, CliEnvironment environment, CancellationToken cancellationToken)
    {
        await environment.Error.WriteLineAsync(
            "strata demo: coverage — what in the sandbox holds state, and what protects it (policy demo-coverage snapshots shop's claims and dumps the database of pod accounts-db-0)...");
        if (source.Store.FindType("snapshot.storage.k8s.io", "volumesnapshotclasses") is null)
        {
            DemoVolumes.Seed(source); // the databases part was skipped: the snapshot API and its claims come from here instead
            await DemoVolumes.WaitForBoundAsync(source, cancellationToken);
        }

        source.Create(DatabasePod("accounts-db-0", "docker.io/library/postgres:16"));
        source.Create(DatabasePod("orders-db-0", "mariadb:11.4"));
        var configuration = ConfigurationLoader.Parse($"clusters:\n  - name: sandbox\n    server: {source.Url.AbsoluteUri}\n{Policies}\n", "strata.yaml (demo)", SystemTimeZones.Instance);
        using var client = DemoCommand.Connect(source, "sandbox", environment);
        var report = await CoverageSurvey.SurveyAsync(configuration, configuration.Clusters[0], client, environment.Time.GetUtcNow(), cancellationToken);
        if (!json)
        {
            CoverageTables.Write(environment, [report]);
        }

        await environment.Error.WriteLineAsync($"strata demo: coverage — {CoverageTables.Counts(report)}; 'strata coverage --config strata.yaml' surveys real clusters, and the daily coverage timer warns about what is unprotected.");
        return JsonSerializer.SerializeToNode(report, StrataJson.Default.CoverageReport);
    }

    private static JsonObject DatabasePod(string name, string image) => SampleApplication.Obj("v1", "Pod", "shop", name, new() { ["app"] = name }, extra: o =>
    {
        o["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "db", ["image"] = image }) };
        o["status"] = new JsonObject { ["phase"] = "Running" };
    });
}
