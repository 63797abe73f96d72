using System.Text.Json;
using Strata.Adapters.Azure.Table;
using Strata.Adapters.Local;
using Strata.Core.Configuration;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.TestKit;
using Strata.TestKit.Fakes;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>What every run history does with drill records: the local folder, Table storage in Azurite, and the in-memory fake.</summary>
public abstract class DrillHistoryContract
{
    protected abstract IRunHistory History { get; }

    public static DrillRecord Drill(string id, DrillStatus status = DrillStatus.Passed, string cluster = "prod", string policy = "nightly") => new()
    {
        Id = id,
        BackupId = "20261121-023000-aaaaaa",
        Policy = policy,
        Cluster = cluster,
        Target = "dr",
        Mode = DrillMode.Scratch,
        Status = status,
        StartedAt = DateTimeOffset.ParseExact(id[..15], "yyyyMMdd-HHmmss", null, System.Globalization.DateTimeStyles.AssumeUniversal),
        RtoSeconds = status == DrillStatus.Passed ? 41.5 : null,
        RtoObjectiveSeconds = 300,
        Counts = new Dictionary<string, long> { ["created"] = 12, ["skippedExisting"] = 1 },
        Assertions = [new("deployments.apps drill-0a1b2c-shop/web: rolled out", true, 41.5, "deployment \"web\" successfully rolled out (2 of 2 available)", Readiness: true)],
        Refused = [new("networkpolicies.networking.k8s.io drill-0a1b2c-shop/deny", "admission webhook \"x\" denied the request")],
        Namespaces = new Dictionary<string, string> { ["shop"] = "drill-0a1b2c-shop" },
        CreatedClusterObjects = ["clusterroles.rbac.authorization.k8s.io/reader"],
        KeptNamespaces = status == DrillStatus.Failed ? ["drill-0a1b2c-shop"] : [],
        Warnings = ["scratch namespace drill-0a1b2c-shop was deleted and is still terminating after 60 s"],
    };

    [Fact]
    public async Task Drill_SavedTwice_IsReplaced_AndReadsBackWhole()
    {
        var running = Drill("20261121-040000-0a1b2c", DrillStatus.InProgress);
        await History.SaveDrillAsync(running);
        var done = Drill("20261121-040000-0a1b2c") with { CompletedAt = running.StartedAt.AddMinutes(1) };
        await History.SaveDrillAsync(done);

        var found = await History.FindDrillAsync(done.Id);

        Assert.Equal(JsonSerializer.Serialize(done, StrataJson.Default.DrillRecord), JsonSerializer.Serialize(found!, StrataJson.Default.DrillRecord));
        Assert.Null(await History.FindDrillAsync("20261121-040000-ffffff"));
        Assert.Null(await History.FindDrillAsync("../backups/x"));
    }

    [Fact]
    public async Task Drills_ListNewestFirst_AcrossMonths_ApartFromBackupsAndRestores()
    {
        string[] ids = ["20261031-235959-aaaaaa", "20261121-040000-bbbbbb", "20261101-000000-cccccc"];
        foreach (var id in ids)
        {
            await History.SaveDrillAsync(Drill(id));
        }

        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), (await History.ListDrillsAsync().ToListAsync()).Select(d => d.Id));
        Assert.Empty(await History.ListBackupsAsync().ToListAsync());
        Assert.Empty(await History.ListRestoresAsync().ToListAsync());
    }
}

public sealed class LocalDrillHistoryTests : DrillHistoryContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    public LocalDrillHistoryTests() => History = new LocalRunHistory(_dir.Path);

    protected override IRunHistory History { get; }

    [Fact]
    public async Task Drill_IsOneJsonFileUnderDrills()
    {
        await History.SaveDrillAsync(Drill("20261121-040000-0a1b2c"));

        var file = Path.Combine(_dir.Path, "drills", "20261121-040000-0a1b2c.json");
        Assert.True(File.Exists(file));
        Assert.Contains("\"mode\": \"scratch\"", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}

public sealed class TableDrillHistoryTests(AzuriteFixture azurite) : DrillHistoryContract, IClassFixture<AzuriteFixture>
{
    private readonly string _prefix = AzuriteFixture.UniqueName("d");

    protected override IRunHistory History => Table;

    private TableRunHistory Table => field ??= new TableRunHistory(azurite.Account.CreateTableServiceClient(), _prefix);

    [Fact]
    public async Task Drills_ForOneClusterAndPolicy_Filter_AndTheSummaryIsQueryable()
    {
        await Table.SaveDrillAsync(Drill("20261121-040000-aaaaaa"));
        await Table.SaveDrillAsync(Drill("20261121-040001-aaaaaa", cluster: "staging"));
        await Table.SaveDrillAsync(Drill("20261121-040002-aaaaaa", DrillStatus.Failed, policy: "hourly"));

        Assert.Equal(["20261121-040000-aaaaaa"], (await Table.ListDrillsAsync("prod", "nightly").ToListAsync()).Select(d => d.Id));

        using var raw = new Azure.RawTableEntities(azurite.Account.CreateTableServiceClient().GetTableClient(_prefix + "Drills"));
        var entity = await raw.GetAsync(RunKeys.Partition("20261121-040000-aaaaaa"), RunKeys.Row("20261121-040000-aaaaaa"));
        Assert.Equal(("scratch", "Passed", "dr", 41.5), (entity["Mode"]!.GetValue<string>(), entity["Status"]!.GetValue<string>(), entity["Target"]!.GetValue<string>(), entity["RtoSeconds"]!.GetValue<double>()));
    }
}

public sealed class MemoryDrillHistoryTests : DrillHistoryContract
{
    protected override IRunHistory History { get; } = new MemoryRunHistory();
}
