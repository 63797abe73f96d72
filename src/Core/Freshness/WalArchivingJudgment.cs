namespace Strata.Core.Freshness;

/// <summary>A WAL archiver judged: where it stands, and why, in words for an alert.</summary>
/// <param name="State">Where it stands.</param>
/// <param name="Reason">Why, naming the times and errors the judgment rests on.</param>
public sealed record WalArchivingJudgment(WalArchivingState State, string Reason)
{
    /// <summary>Whether it raises the <see cref="WalArchiving.Kind"/> alert.</summary>
    public bool Alerts => State is WalArchivingState.Failing or WalArchivingState.Stale;
}
