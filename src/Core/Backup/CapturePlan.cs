namespace Strata.Core.Backup;

/// <summary>What a backup lists, in two phases, and what it leaves out.</summary>
public sealed record CapturePlan(IReadOnlyList<PlannedResource> Resources, IReadOnlyList<SkippedResource> Skipped)
{
    /// <summary>Listed first: namespaced types and cluster-scoped types taken in full.</summary>
    public IEnumerable<PlannedResource> FirstPhase => Resources.Where(r => !r.DependsOnCapturedObjects);

    /// <summary>Listed once the first phase is done.</summary>
    public IEnumerable<PlannedResource> SecondPhase => Resources.Where(r => r.DependsOnCapturedObjects);
}
