using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Adapters.Azure.Table;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Azure;

/// <summary>
/// History and control state written before the move to the SDK — by Strata's own REST client,
/// whose JSON is reproduced here byte for byte in shape — still read through the SDK-based
/// adapters, and what they write now has the same property names and Edm types.
/// </summary>
public sealed class TableStoredShapeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static readonly BackupRecord Record = new()
    {
        Id = "20261121-100000-abcdef",
        Cluster = "prod",
        Policy = "nightly",
        Status = BackupStatus.Succeeded,
        StartedAt = Now,
        CompletedAt = Now.AddMinutes(5),
        Location = "backups/prod/nightly/20261121-100000-abcdef",
        ObjectCount = 1234,
        CountsByResource = new Dictionary<string, long> { ["configmaps"] = 1234 },
        Problems = [new Problem(ProblemSeverity.Warning, "skipped: too large", "configmaps", "shop", "a")],
    };

    [Fact]
    public async Task History_WrittenByTheOldClient_ReadsThroughTheSdk()
    {
        var prefix = AzuriteFixture.UniqueName("old");
        var service = azurite.Account.CreateTableServiceClient();
        var table = service.GetTableClient(prefix + "Backups");
        await table.CreateIfNotExistsAsync();
        using var raw = new RawTableEntities(table);
        await raw.InsertAsync(OldBackupEntity(Record));

        var history = new TableRunHistory(service, prefix);

        var found = await history.FindBackupAsync(Record.Id);
        Assert.Equal(JsonSerializer.Serialize(Record, StrataJson.Default.BackupRecord), JsonSerializer.Serialize(found!, StrataJson.Default.BackupRecord));
        Assert.Equal([Record.Id], (await history.ListBackupsAsync("prod", "nightly").ToListAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task History_WrittenThroughTheSdk_HasTheOldShape()
    {
        var prefix = AzuriteFixture.UniqueName("new");
        var service = azurite.Account.CreateTableServiceClient();
        var oldTable = service.GetTableClient(prefix + "Backups");
        await new TableRunHistory(service, prefix).SaveBackupAsync(Record);
        using var raw = new RawTableEntities(oldTable);

        var written = await raw.GetAsync(RunKeys.Partition(Record.Id), RunKeys.Row(Record.Id));
        var old = OldBackupEntity(Record);
        old.Remove("PartitionKey");
        old.Remove("RowKey");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Id"] = "String", ["Format"] = "Number", ["Cluster"] = "String", ["Policy"] = "String", ["Status"] = "String",
                ["StartedAt"] = "Edm.DateTime", ["CompletedAt"] = "Edm.DateTime", ["ObjectCount"] = "Edm.Int64", ["ProblemCount"] = "Number",
                ["Location"] = "String", ["RecordChunks"] = "Number", ["Record0"] = "Edm.Binary", ["PartitionKey"] = "String", ["RowKey"] = "String",
            }.OrderBy(p => p.Key, StringComparer.Ordinal),
            RawTableEntities.Shape(written));
        foreach (var name in new[] { "Id", "Format", "Cluster", "Policy", "Status", "ObjectCount", "ProblemCount", "Location", "RecordChunks" })
        {
            Assert.Equal(old[name]!.ToJsonString(), written[name]!.ToJsonString());
        }

        Assert.Equal(Now, DateTimeOffset.Parse(written["StartedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ControlState_WrittenByTheOldClient_ReadsThroughTheSdk()
    {
        var prefix = AzuriteFixture.UniqueName("ctl");
        var service = azurite.Account.CreateTableServiceClient();
        var table = service.GetTableClient(prefix + "Control");
        await table.CreateIfNotExistsAsync();
        using var raw = new RawTableEntities(table);
        await raw.InsertAsync(new JsonObject
        {
            ["PartitionKey"] = "lease", ["RowKey"] = "backup~2Fnightly~2Fprod",
            ["Key"] = "backup/nightly/prod", ["Holder"] = "run-a", ["ExpiresAt"] = Time(Now.AddMinutes(10)), ["ExpiresAt@odata.type"] = "Edm.DateTime",
        });
        await raw.InsertAsync(new JsonObject
        {
            ["PartitionKey"] = "schedule", ["RowKey"] = "nightly", ["Policy"] = "nightly", ["Mark"] = Time(Now), ["Mark@odata.type"] = "Edm.DateTime",
        });

        var state = new TableControlState(service, prefix);

        var contender = await state.TryAcquireLeaseAsync("backup/nightly/prod", "run-b", Now.AddMinutes(5), TimeSpan.FromMinutes(10));
        Assert.False(contender.Acquired);
        Assert.Equal(("run-a", Now.AddMinutes(10)), (contender.Holder, contender.ExpiresAt));
        var takeover = await state.TryAcquireLeaseAsync("backup/nightly/prod", "run-b", Now.AddMinutes(11), TimeSpan.FromMinutes(10));
        Assert.Equal("run-a", takeover.TakenOverFrom);
        Assert.Equal(Now, (await state.GetScheduleMarksAsync())["nightly"]);
        var lease = RawTableEntities.Shape(await raw.GetAsync("lease", "backup~2Fnightly~2Fprod"));
        Assert.Equal(("String", "String", "Edm.DateTime"), (lease["Key"], lease["Holder"], lease["ExpiresAt"]));
    }

    /// <summary>A backup's entity as the REST client wrote it (TableRunHistory and CompressedRecord before the SDK).</summary>
    private static JsonObject OldBackupEntity(BackupRecord record)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, record, StrataJson.Default.BackupRecord);
        }

        return new JsonObject
        {
            ["PartitionKey"] = RunKeys.Partition(record.Id),
            ["RowKey"] = RunKeys.Row(record.Id),
            ["Id"] = record.Id,
            ["Format"] = 1,
            ["Cluster"] = record.Cluster,
            ["Policy"] = record.Policy,
            ["Status"] = record.Status.ToString(),
            ["StartedAt"] = Time(record.StartedAt),
            ["StartedAt@odata.type"] = "Edm.DateTime",
            ["CompletedAt"] = Time(record.CompletedAt!.Value),
            ["CompletedAt@odata.type"] = "Edm.DateTime",
            ["ObjectCount"] = record.ObjectCount.ToString(CultureInfo.InvariantCulture),
            ["ObjectCount@odata.type"] = "Edm.Int64",
            ["ProblemCount"] = record.Problems.Count,
            ["Location"] = record.Location,
            ["RecordChunks"] = 1,
            ["Record0"] = Convert.ToBase64String(buffer.ToArray()),
            ["Record0@odata.type"] = "Edm.Binary",
        };
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
