using Strata.Core.Freshness;
using Strata.Core.Runs;
using Strata.Core.Tests.ControlPlane;

namespace Strata.Core.Tests.Freshness;

/// <summary>The one RPO rule, fed a record at a time (<see cref="RecoveryPointObjectives.Evidence"/>) as the timer, the page and the metrics feed it.</summary>
public sealed class RecoveryPointObjectivesTests
{
    private const string Hourly = """
          - name: hourly
            clusters: [prod]
            schedule: "0 * * * *"
            rpo: 4h
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(Hourly, Now);

    private static BackupRecord Record(string id, BackupStatus status, double hoursAgo) => new()
    {
        Id = id, Cluster = "prod", Policy = "hourly", Status = status,
        StartedAt = Now.AddHours(-hoursAgo).AddMinutes(-5), CompletedAt = Now.AddHours(-hoursAgo), Location = $"backups/prod/{id}",
    };

    private RecoveryPointJudgment JudgeOne(IEnumerable<BackupRecord> records, DateTimeOffset? at = null)
    {
        var evidence = new RecoveryPointObjectives.Evidence();
        foreach (var record in records)
        {
            evidence.Add(record);
        }

        return Assert.Single(evidence.Judge(_plane.Context.Configuration, at ?? Now));
    }

    [Fact]
    public void Evidence_AnyOrder_RestsOnTheNewestVerified_NeitherExpiredNorDamagedNorUnverified()
    {
        BackupRecord[] history =
        [
            Record("old", BackupStatus.Verified, 5),
            Record("good", BackupStatus.Verified, 2),
            Record("deleted", BackupStatus.Verified, 1) with { ExpiredAt = Now },
            Record("damaged", BackupStatus.VerificationFailed, 0.5),
            Record("waiting", BackupStatus.Succeeded, 0.2),
        ];

        var forward = JudgeOne(history);
        var backward = JudgeOne(history.Reverse());

        Assert.Equal(("good", RecoveryPointState.Ok, TimeSpan.FromHours(2)), (forward.LastVerified?.Id, forward.State, forward.Age));
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Evidence_TwoWithTheSameRecoveryPoint_TheFirstSeenStays()
    {
        var judgment = JudgeOne([Record("first", BackupStatus.Verified, 1), Record("second", BackupStatus.Verified, 1)]);

        Assert.Equal("first", judgment.LastVerified?.Id);
    }

    [Fact]
    public void Evidence_NeverVerified_PendingWhileABackupAwaitsVerification_BreachedOnceRunsFailLongerThanTheObjective()
    {
        var awaiting = JudgeOne([Record("failed", BackupStatus.Failed, 6), Record("waiting", BackupStatus.Succeeded, 1)]);
        var failing = JudgeOne([Record("failed", BackupStatus.Failed, 6), Record("expired", BackupStatus.Succeeded, 1) with { ExpiredAt = Now }]);
        var young = JudgeOne([Record("failed", BackupStatus.Failed, 1)]);
        var none = JudgeOne([]);

        Assert.Equal(
            [RecoveryPointState.Pending, RecoveryPointState.Breached, RecoveryPointState.Pending, RecoveryPointState.Pending],
            [awaiting.State, failing.State, young.State, none.State]);
        Assert.Null(failing.LastVerified);
    }

    [Fact]
    public void Judge_ListOfRecords_IsTheEvidenceOfThoseRecords()
    {
        BackupRecord[] history = [Record("a", BackupStatus.Verified, 3.5), Record("b", BackupStatus.Failed, 0.5)];

        var judged = Assert.Single(RecoveryPointObjectives.Judge(_plane.Context.Configuration, history, Now));

        Assert.Equal(JudgeOne(history), judged);
        Assert.Equal(RecoveryPointState.AtRisk, judged.State);
    }
}
