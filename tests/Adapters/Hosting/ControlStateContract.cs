using Strata.Adapters.Azure.Table;
using Strata.Adapters.Local;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>What every control state must do, run against the local folder and against Table storage in Azurite.</summary>
public abstract class ControlStateContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    protected abstract IControlState State { get; }

    [Fact]
    public async Task Lease_OneHolderAtATime_TakenOverOnlyAfterExpiry()
    {
        var key = "backup/nightly/prod";
        var first = await State.TryAcquireLeaseAsync(key, "run-a", Now, TimeSpan.FromMinutes(10));
        var contender = await State.TryAcquireLeaseAsync(key, "run-b", Now.AddMinutes(5), TimeSpan.FromMinutes(10));
        var again = await State.TryAcquireLeaseAsync(key, "run-a", Now.AddMinutes(6), TimeSpan.FromMinutes(10));
        var afterExpiry = await State.TryAcquireLeaseAsync(key, "run-b", Now.AddMinutes(17), TimeSpan.FromMinutes(10));

        Assert.True(first.Acquired);
        Assert.False(first.Renewed);
        Assert.False(contender.Acquired);
        Assert.Equal("run-a", contender.Holder);
        Assert.Equal(Now.AddMinutes(10), contender.ExpiresAt);
        Assert.True(again.Renewed);
        Assert.True(afterExpiry.Acquired);
        Assert.Equal("run-a", afterExpiry.TakenOverFrom);
    }

    [Fact]
    public async Task Lease_Released_IsFreeButNotByAnotherHolder()
    {
        await State.TryAcquireLeaseAsync("k", "run-a", Now, TimeSpan.FromHours(1));
        await State.ReleaseLeaseAsync("k", "run-b"); // not the holder: no effect
        Assert.False((await State.TryAcquireLeaseAsync("k", "run-c", Now, TimeSpan.FromHours(1))).Acquired);

        await State.ReleaseLeaseAsync("k", "run-a");
        Assert.True((await State.TryAcquireLeaseAsync("k", "run-c", Now, TimeSpan.FromHours(1))).Acquired);
    }

    [Fact]
    public async Task Lease_RacingHolders_ExactlyOneWins()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => State.TryAcquireLeaseAsync("race", $"run-{i}", Now, TimeSpan.FromHours(1))));

        Assert.Single(attempts, a => a.Acquired);
    }

    [Fact]
    public async Task Keys_WithCharactersTableKeysForbid_StillWork()
    {
        const string key = "backup/nightly#1?prod\\weu";

        Assert.True((await State.TryAcquireLeaseAsync(key, "run-a", Now, TimeSpan.FromHours(1))).Acquired);
        Assert.False((await State.TryAcquireLeaseAsync(key, "run-b", Now, TimeSpan.FromHours(1))).Acquired);
        await State.SaveScheduleMarksAsync(new Dictionary<string, DateTimeOffset> { [key] = Now });
        Assert.Equal(Now, (await State.GetScheduleMarksAsync())[key]);
    }

    [Fact]
    public async Task ScheduleMarks_RoundTrip()
    {
        Assert.Empty(await State.GetScheduleMarksAsync());

        await State.SaveScheduleMarksAsync(new Dictionary<string, DateTimeOffset> { ["nightly"] = Now, ["hourly"] = Now.AddHours(-1) });
        await State.SaveScheduleMarksAsync(new Dictionary<string, DateTimeOffset> { ["hourly"] = Now });

        var marks = await State.GetScheduleMarksAsync();
        Assert.Equal(Now, marks["nightly"]);
        Assert.Equal(Now, marks["hourly"]);
    }

    [Fact]
    public async Task Rejected_RecordedOncePerKey_BodyKept()
    {
        var message = new RejectedMessage("sb-1", "strata-backups", "sb-1", "x", "BackupRequested", "payload.cluster is required", Now, 1, "{\"a\":\"" + new string('é', 40_000) + "\"}");

        Assert.True(await State.RecordRejectedAsync(message));
        Assert.False(await State.RecordRejectedAsync(message with { DeliveryCount = 2 }));

        var kept = Assert.Single(await State.ListRejectedAsync().ToListAsync());
        Assert.Equal(message, kept);
    }

    [Fact]
    public async Task Alerts_DeduplicatedByKey_CountedByMessageId()
    {
        Envelope Alert(string id, string summary) => new(id, id, Now, new AlertRaised(AlertSeverity.Critical, "backup-failed", summary, "backup-failed/nightly/prod"));

        await State.RecordAlertAsync(Alert("a1", "first"), Now);
        await State.RecordAlertAsync(Alert("a1", "first"), Now.AddMinutes(1));
        var latest = await State.RecordAlertAsync(Alert("a2", "second"), Now.AddMinutes(2));

        Assert.Equal(2, latest.Count);
        var incident = Assert.Single(await State.ListAlertsAsync().ToListAsync());
        Assert.Equal("second", incident.Summary);
        Assert.Equal(Now, incident.FirstRaisedAt);
        Assert.Equal(Now.AddMinutes(2), incident.LastRaisedAt);
    }
}

public sealed class LocalControlStateTests : ControlStateContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    public LocalControlStateTests() => State = new LocalControlState(_dir.Path);

    protected override IControlState State { get; }

    public void Dispose() => _dir.Dispose();
}

public sealed class TableControlStateTests(AzuriteFixture azurite) : ControlStateContract, IClassFixture<AzuriteFixture>
{
    protected override IControlState State { get; } =
        new TableControlState(azurite.Account.CreateTableServiceClient(), AzuriteFixture.UniqueName("c"));
}
