namespace Strata.Core.Ports;

/// <summary>The answer to a delete: deleted, absent, or locked until a date (or under legal hold).</summary>
public sealed record ArtifactDeletion(string Key, ArtifactDeletionOutcome Outcome, DateTimeOffset? LockedUntil = null, bool LegalHold = false)
{
    /// <summary>For people: "deleted", "not found", "locked until 2027-01-01T00:00:00Z (legal hold)".</summary>
    public override string ToString() => Outcome switch
    {
        ArtifactDeletionOutcome.Deleted => $"{Key}: deleted",
        ArtifactDeletionOutcome.NotFound => $"{Key}: not found",
        _ => $"{Key}: locked" + (LockedUntil is { } until ? $" until {until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : "") + (LegalHold ? " (legal hold)" : ""),
    };
}
