using Strata.Adapters.Azure.Table;
using Strata.Core.Runs;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Azure;

/// <summary>Run history in Table storage through the SDK (Azurite).</summary>
public sealed class TableRunHistoryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private TableRunHistory History(int pageSize = 1000) =>
        new(azurite.Account.CreateTableServiceClient(), AzuriteFixture.UniqueName("h")) { PageSize = pageSize };

    private static BackupRecord Backup(string id, string cluster = "prod", string policy = "nightly", BackupStatus status = BackupStatus.Succeeded) => new()
    {
        Id = id,
        Cluster = cluster,
        Policy = policy,
        Status = status,
        StartedAt = DateTimeOffset.ParseExact(id[..15], "yyyyMMdd-HHmmss", null, System.Globalization.DateTimeStyles.AssumeUniversal),
        Location = $"backups/{cluster}/{policy}/{id}",
        ObjectCount = 1234,
        CountsByResource = new Dictionary<string, long> { ["configmaps"] = 1234 },
    };

    [Fact]
    public async Task Empty_History_FindsAndListsNothing()
    {
        var history = History();

        Assert.Null(await history.FindBackupAsync("20261121-100000-abcdef"));
        Assert.Empty(await history.ListBackupsAsync().ToListAsync());
    }

    [Fact]
    public async Task Save_ThenSaveAgain_ReplacesTheRecord_AndListsNewestFirstAcrossMonths()
    {
        var history = History();
        string[] ids = ["20261031-235959-aaaaaa", "20261121-100000-bbbbbb", "20261101-000000-cccccc", "20261121-100000-dddddd"];
        foreach (var id in ids)
        {
            await history.SaveBackupAsync(Backup(id, status: BackupStatus.InProgress));
        }

        await history.SaveBackupAsync(Backup(ids[1]) with { CompletedAt = DateTimeOffset.Parse("2026-11-21T10:05:00Z") });

        var listed = await history.ListBackupsAsync().ToListAsync();
        var found = await history.FindBackupAsync(ids[1]);

        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), listed.Select(r => r.Id));
        Assert.Equal(BackupStatus.Succeeded, found!.Status);
        Assert.Equal(DateTimeOffset.Parse("2026-11-21T10:05:00Z"), found.CompletedAt);
        Assert.Equal(1234, found.CountsByResource["configmaps"]);
    }

    [Fact]
    public async Task ListBackups_ForOneClusterAndPolicy_Filters()
    {
        var history = History();
        await history.SaveBackupAsync(Backup("20261121-100000-aaaaaa", cluster: "prod"));
        await history.SaveBackupAsync(Backup("20261121-100001-aaaaaa", cluster: "staging"));
        await history.SaveBackupAsync(Backup("20261121-100002-aaaaaa", cluster: "prod", policy: "hourly"));

        var listed = await history.ListBackupsAsync("prod", "nightly").ToListAsync();

        Assert.Equal(["20261121-100000-aaaaaa"], listed.Select(r => r.Id));
    }

    [Fact]
    public async Task List_AcrossContinuationPages_NewestFirst_AndTheFilterQuotesItsValues()
    {
        var history = History(pageSize: 2);
        var ids = Enumerable.Range(0, 7).Select(i => $"202611{21 + i % 3:D2}-1000{i:D2}-aaaaaa").ToList();
        foreach (var id in ids)
        {
            await history.SaveBackupAsync(Backup(id, cluster: "it's-prod"));
        }

        await history.SaveBackupAsync(Backup("20261121-110000-bbbbbb", cluster: "it's-prod' or Cluster ne 'x"));

        Assert.Equal(ids.Append("20261121-110000-bbbbbb").OrderDescending(StringComparer.Ordinal), (await history.ListBackupsAsync().ToListAsync()).Select(r => r.Id));
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), (await history.ListBackupsAsync("it's-prod", "nightly").ToListAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task Restore_WithThirtyThousandItems_RoundTrips()
    {
        var history = History();
        var record = new RestoreRecord
        {
            Id = "20261121-110000-abcdef",
            BackupId = "20261121-100000-aaaaaa",
            TargetCluster = "dr",
            Status = RestoreStatus.Succeeded,
            StartedAt = DateTimeOffset.Parse("2026-11-21T11:00:00Z"),
            Items = Enumerable.Range(0, 30_000).Select(i => new RestoreItemResult("secrets", $"ns-{i % 10}", $"secret-{i:D5}", RestoreItemOutcome.Created)).ToList(),
        };

        await history.SaveRestoreAsync(record);
        var found = await history.FindRestoreAsync(record.Id);

        Assert.Equal(30_000, found!.Items.Count);
        Assert.Equal(record.Items[29_999], found.Items[29_999]);
        Assert.Equal([record.Id], (await history.ListRestoresAsync().ToListAsync()).Select(r => r.Id));
    }
}
