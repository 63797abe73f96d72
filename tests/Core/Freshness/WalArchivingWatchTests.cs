using System.Globalization;
using Strata.Core.Commands;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Tests.ControlPlane;
using Strata.Core.Tests.Databases.CloudNativePg;
using Strata.Sandbox;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Freshness;

/// <summary>
/// The freshness timer watching WAL archivers: a CloudNativePG Cluster on the sandbox (its condition set as the instance
/// manager sets it) and a direct PostgreSQL target whose <c>psql</c> answers as the test says, on the control plane's
/// fakes and a clock the test moves.
/// </summary>
public sealed class WalArchivingWatchTests : IAsyncLifetime
{
    private const string Policy = """
          - name: hourly
            clusters: ["*"] # prod (the sandbox) and dr (which cannot be reached)
            schedule: "0 * * * *"
            rpo: 2h
            cloudNativePG:
              - namespace: shop
                cluster: pg-main
            databases:
              - name: legacy
                executor: direct
                host: pg.example.com
                databases: [app]
                archiving: true
        """;

    private const string ClusterKey = "wal-archiving/hourly/prod/cnpg/shop/pg-main";
    private const string DatabaseKey = "wal-archiving/hourly/prod/databases/direct/legacy";

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(Policy);
    private readonly ScriptedHostCommands _psql = new();
    private CloudNativePgSandbox _world = null!;
    private ControlPlaneContext _context = null!;

    public async Task InitializeAsync()
    {
        _world = await CloudNativePgSandbox.StartAsync(new SimulatedCloudNativePg());
        _plane.Clusters.Clusters["prod"] = _world.Client;
        _context = _plane.Context with { HostCommands = _psql };
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>pg_stat_archiver as psql prints it: last archived <paramref name="archivedAgo"/>, last failed <paramref name="failedAgo"/> before the plane's now.</summary>
    private string Archiver(TimeSpan archivedAgo, TimeSpan? failedAgo = null)
    {
        var now = _plane.Clock.GetUtcNow();
        string Epoch(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);
        var failed = failedAgo is { } f ? $"3\t00000001000000000000002B\t{Epoch(now - f)}" : "0\t\t";
        return $"on\t42\t00000001000000000000002A\t{Epoch(now - archivedAgo)}\t{failed}\t{Epoch(now.AddDays(-1))}\t{Epoch(now)}\n";
    }

    private async Task<IReadOnlyList<MessagePayload>> SweepAsync()
    {
        var result = await FreshnessSweep.RunAsync(_context);
        foreach (var message in result.Messages.Where(m => m.Payload is AlertRaised or AlertResolved))
        {
            await AlertDispatcher.HandleAsync(_context, ControlPlaneFakes.Delivery(message));
        }

        return [.. result.Messages.Select(m => m.Payload)];
    }

    [Fact]
    public async Task Run_ArchiversFailing_RaiseACriticalAlertEach_AndHealthyReadingsResolveThem()
    {
        _world.Server.SetContinuousArchiving("shop", "pg-main", working: false, "barman-cloud-wal-archive: exit status 1");
        _psql.Answer = Archiver(TimeSpan.FromMinutes(30), failedAgo: TimeSpan.FromMinutes(2));

        var failing = await SweepAsync();
        _plane.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await SweepAsync();
        _world.Server.SetContinuousArchiving("shop", "pg-main", working: true);
        _psql.Answer = Archiver(TimeSpan.FromMinutes(1));
        _plane.Clock.Advance(TimeSpan.FromMinutes(5));
        var healthy = await SweepAsync();
        var quiet = await SweepAsync();

        var raised = failing.OfType<AlertRaised>().Where(a => a.Kind == "wal-archiving" && a.Cluster == "prod").OrderBy(a => a.DedupKey, StringComparer.Ordinal).ToList();
        Assert.Equal([ClusterKey, DatabaseKey], raised.Select(a => a.DedupKey));
        Assert.All(raised, a => Assert.Equal((AlertSeverity.Critical, "prod", "hourly"), (a.Severity, a.Cluster, a.Policy)));
        Assert.Contains("barman-cloud-wal-archive: exit status 1", raised[0].Summary, StringComparison.Ordinal);
        Assert.Contains("is failing: the last archive attempt failed", raised[1].Summary, StringComparison.Ordinal);
        Assert.Equal(2, again.OfType<AlertRaised>().Count(a => a.Kind == "wal-archiving" && a.Cluster == "prod")); // the same incidents while they last
        Assert.Equal([ClusterKey, DatabaseKey], healthy.OfType<AlertResolved>().Where(r => r.Cluster == "prod").Select(r => r.DedupKey).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(quiet, m => m is AlertRaised { Cluster: "prod" } or AlertResolved { Cluster: "prod" });
        Assert.Equal(Core.Alerts.IncidentStatus.Resolved, (await _plane.State.FindAlertAsync(ClusterKey))!.Status);
        Assert.Contains(_psql.Commands, c => c.Command[0] == "psql" && c.Command.Any(a => a.Contains("pg_stat_archiver", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_LastArchiveOlderThanTheRpo_IsStale()
    {
        _world.Server.SetContinuousArchiving("shop", "pg-main", working: true);
        _psql.Answer = Archiver(TimeSpan.FromHours(3));

        var messages = await SweepAsync();

        var stale = Assert.Single(messages.OfType<AlertRaised>(), a => a.Kind == "wal-archiving" && a.Cluster == "prod");
        Assert.Equal(DatabaseKey, stale.DedupKey);
        Assert.Contains("is stale", stale.Summary, StringComparison.Ordinal);
        Assert.Contains("3h ago, past the objective of 2h", stale.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ArchiversThatCannotBeRead_WarnAndThePassGoesOn_AndTheNextReadingResolvesTheWarning()
    {
        _world.Server.SetContinuousArchiving("shop", "pg-main", working: false, "exit status 1");
        _psql.Exit = new CommandExit(2, "psql: error: connection to server at \"pg.example.com\" failed: Connection refused\n");

        var unreadable = await SweepAsync();
        _psql.Exit = null;
        _psql.Answer = Archiver(TimeSpan.FromMinutes(1));
        var readable = await SweepAsync();

        var warnings = unreadable.OfType<AlertRaised>().Where(a => a.Kind == "wal-archiving-unreadable").ToDictionary(a => a.DedupKey, StringComparer.Ordinal);
        Assert.All(warnings.Values, w => Assert.Equal(AlertSeverity.Warning, w.Severity));
        Assert.Contains("Connection refused", warnings["wal-archiving-unreadable/hourly/prod/databases/direct/legacy"].Summary, StringComparison.Ordinal);
        Assert.Contains("cluster dr cannot be reached", warnings["wal-archiving-unreadable/hourly/dr/cnpg/shop/pg-main"].Summary, StringComparison.Ordinal);
        Assert.Contains(unreadable.OfType<AlertRaised>(), a => a.DedupKey == ClusterKey); // prod's Cluster was still judged
        Assert.Contains(readable.OfType<AlertResolved>(), r => r.DedupKey == "wal-archiving-unreadable/hourly/prod/databases/direct/legacy");
    }

    [Fact]
    public async Task Run_CloudNativePgNotInstalled_SaysSoInTheWarning()
    {
        await using var bare = await CloudNativePgSandbox.StartAsync(installed: false);
        _plane.Clusters.Clusters["prod"] = bare.Client;
        _psql.Answer = Archiver(TimeSpan.FromMinutes(1));

        var messages = await SweepAsync();

        var warning = Assert.Single(messages.OfType<AlertRaised>(), a => a.DedupKey == "wal-archiving-unreadable/hourly/prod/cnpg/shop/pg-main");
        Assert.Contains("CloudNativePG is not installed on cluster prod", warning.Summary, StringComparison.Ordinal);
    }
}
