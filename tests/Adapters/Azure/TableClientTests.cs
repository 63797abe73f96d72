using Strata.Adapters.Azure;
using Strata.Adapters.Azure.Table;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Azure;

/// <summary>The Table client against Azurite.</summary>
public sealed class TableClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<TableClient> TableAsync()
    {
        var options = new StorageClientOptions();
        options.Retry.MaxRetries = 1;
        var table = new TableClient(azurite.Account.Table, AzuriteFixture.UniqueName("t"), new StorageAuthentication.Key(azurite.Account.SharedKey()), options);
        await table.CreateIfNotExistsAsync();
        await table.CreateIfNotExistsAsync();
        return table;
    }

    [Fact]
    public async Task Insert_ThenInsertAgain_FailsWithEntityAlreadyExists()
    {
        var table = await TableAsync();
        await table.InsertAsync(new TableEntity("p", "r") { ["Status"] = "InProgress" });

        var error = await Assert.ThrowsAsync<StorageRequestException>(() => table.InsertAsync(new TableEntity("p", "r") { ["Status"] = "Other" }));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Contains("The specified entity already exists", error.Message);
        Assert.Equal("InProgress", (await table.GetAsync("p", "r"))!.Get<string>("Status"));
    }

    [Fact]
    public async Task TypedProperties_RoundTrip()
    {
        var table = await TableAsync();
        var started = new DateTimeOffset(2026, 11, 21, 9, 30, 15, 123, TimeSpan.Zero);
        var id = Guid.NewGuid();
        await table.UpsertAsync(new TableEntity("p", "r")
        {
            ["Text"] = "it's 'quoted'",
            ["Big"] = long.MaxValue - 1,
            ["Small"] = 42,
            ["Ratio"] = 2.0,
            ["Flag"] = true,
            ["StartedAt"] = started,
            ["Id"] = id,
            ["Body"] = new byte[] { 0, 1, 2, 255 },
        });

        var entity = (await table.GetAsync("p", "r"))!;

        Assert.Equal("it's 'quoted'", entity.Get<string>("Text"));
        Assert.Equal(long.MaxValue - 1, entity.Get<long>("Big"));
        Assert.Equal(42, entity.Get<int>("Small"));
        Assert.Equal(2.0, entity.Get<double>("Ratio"));
        Assert.True(entity.Get<bool>("Flag"));
        Assert.Equal(started, entity.Get<DateTimeOffset>("StartedAt"));
        Assert.Equal(id, entity.Get<Guid>("Id"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, entity.Get<byte[]>("Body"));
        Assert.NotNull(entity.ETag);
        Assert.NotNull(entity.Timestamp);
    }

    [Fact]
    public async Task Upsert_Replaces_WhileMerge_KeepsOtherProperties()
    {
        var table = await TableAsync();
        await table.UpsertAsync(new TableEntity("p", "r") { ["A"] = "1", ["B"] = "1" });

        await table.UpsertMergeAsync(new TableEntity("p", "r") { ["B"] = "2" });
        var merged = (await table.GetAsync("p", "r"))!;
        await table.UpsertAsync(new TableEntity("p", "r") { ["C"] = "3" });
        var replaced = (await table.GetAsync("p", "r"))!;

        Assert.Equal(("1", "2"), (merged.Get<string>("A"), merged.Get<string>("B")));
        Assert.Equal(["C"], replaced.Properties.Keys);
    }

    [Fact]
    public async Task ETag_StaleWriteIsRefused_CurrentWriteSucceeds()
    {
        var table = await TableAsync();
        var entity = new TableEntity("lease", "policy-a") { ["Holder"] = "worker-1" };
        await table.InsertAsync(entity);
        var stale = entity.ETag!;
        await table.ReplaceAsync(new TableEntity("lease", "policy-a") { ["Holder"] = "worker-2" }, stale);

        var error = await Assert.ThrowsAsync<StorageRequestException>(() =>
            table.MergeAsync(new TableEntity("lease", "policy-a") { ["Holder"] = "worker-3" }, stale));
        var current = (await table.GetAsync("lease", "policy-a"))!;
        await table.MergeAsync(new TableEntity("lease", "policy-a") { ["Holder"] = "worker-3" }, current.ETag!);

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.Equal("worker-3", (await table.GetAsync("lease", "policy-a"))!.Get<string>("Holder"));
        Assert.False(await table.DeleteAsync("lease", "policy-a", stale).ContinueWith(t => t.IsCompletedSuccessfully));
        Assert.True(await table.DeleteAsync("lease", "policy-a"));
        Assert.False(await table.DeleteAsync("lease", "policy-a"));
    }

    [Fact]
    public async Task Query_FollowsContinuationAcrossPages_WithFilter()
    {
        var table = await TableAsync();
        for (var batch = 0; batch < 3; batch++)
        {
            var transaction = new TableTransaction(table.Name, "p" + batch);
            for (var i = 0; i < 25; i++)
            {
                transaction.Insert(new TableEntity("p" + batch, $"r{i:D3}") { ["Even"] = i % 2 == 0, ["N"] = (long)i });
            }

            await table.SubmitAsync(transaction);
        }

        var all = await table.QueryAsync(null, pageSize: 10).ToListAsync();
        var even = await table.QueryAsync("Even eq true and N ge 10L", pageSize: 4).ToListAsync();

        Assert.Equal(75, all.Count);
        Assert.Equal(all.OrderBy(e => e.PartitionKey, StringComparer.Ordinal).ThenBy(e => e.RowKey, StringComparer.Ordinal).Select(e => e.RowKey), all.Select(e => e.RowKey));
        Assert.Equal(3 * 8, even.Count);
        Assert.All(even, e => Assert.True(e.Get<bool>("Even") && e.Get<long>("N") >= 10));
    }

    [Fact]
    public async Task Transaction_WithOneFailingOperation_RollsBackAsAWhole()
    {
        var table = await TableAsync();
        await table.InsertAsync(new TableEntity("p", "existing") { ["V"] = "old" });
        var transaction = new TableTransaction(table.Name, "p")
            .Insert(new TableEntity("p", "new-1"))
            .Upsert(new TableEntity("p", "other") { ["V"] = "new" })
            .Insert(new TableEntity("p", "existing") { ["V"] = "new" })
            .Insert(new TableEntity("p", "new-2"));

        var error = await Assert.ThrowsAsync<StorageRequestException>(() => table.SubmitAsync(transaction));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Null(await table.GetAsync("p", "new-1"));
        Assert.Null(await table.GetAsync("p", "new-2"));
        Assert.Null(await table.GetAsync("p", "other"));
        Assert.Contains("2:", error.Message);
        Assert.Equal("old", (await table.GetAsync("p", "existing"))!.Get<string>("V"));
    }

    [Fact]
    public async Task Transaction_AcrossPartitions_IsRefusedBeforeSending()
    {
        var transaction = new TableTransaction("table", "p");

        var error = Assert.Throws<ArgumentException>(() => transaction.Insert(new TableEntity("q", "r")));

        Assert.Contains("one partition", error.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("a\u0001b")]
    public void Keys_WithForbiddenCharacters_AreRefused(string key) =>
        Assert.Throws<ArgumentException>(() => TableKeys.Validate(key, "RowKey"));
}
