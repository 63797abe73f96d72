namespace Strata.Core.Verification;

/// <summary>What <see cref="VolumeSnapshotLiveCheck"/> learnt beside its findings.</summary>
/// <param name="Unchecked">
/// Committed snapshot records it did not look at because there was no cluster connection: a report with any cannot
/// prove the backup's volume data, so it may not raise the run's status (<see cref="VerificationRun"/>).
/// </param>
/// <param name="Notes">Facts for a record's artifact (<see cref="VolumeSnapshotLiveCheck.LiveFact"/>), by its path.</param>
public sealed record VolumeSnapshotLiveCheckResult(int Unchecked, IReadOnlyDictionary<string, string> Notes)
{
    /// <summary>Nothing to say: no records, or every one checked as expected.</summary>
    public static VolumeSnapshotLiveCheckResult None { get; } = new(0, new Dictionary<string, string>());
}
