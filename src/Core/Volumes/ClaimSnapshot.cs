using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>One claim's snapshot while the layer takes it: asked for, waited on, hooked, then recorded.</summary>
internal sealed class ClaimSnapshot(PlannedClaim claim, string name, DateTimeOffset startedAt, DateTimeOffset deadline)
{
    private readonly List<HookRun> _hooks = [];

    public PlannedClaim Claim { get; } = claim;

    /// <summary>The VolumeSnapshot's name.</summary>
    public string Name { get; } = name;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>When Strata stops waiting for <c>readyToUse</c>.</summary>
    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>The snapshot as last read; null when none was created.</summary>
    public KubeObject? Latest { get; set; }

    public bool Reused { get; set; }

    /// <summary>How the last wait ended.</summary>
    public SnapshotObservation? Observed { get; set; }

    /// <summary>When the wait for readiness ended.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why no snapshot was asked for (refused create, someone else's object, a pre hook that failed with Fail); null when one was.</summary>
    public (string Message, string Reason)? NotTaken { get; set; }

    /// <summary>A post hook that failed with Fail: the snapshot is kept, and reported failed.</summary>
    public string? PostHookError { get; set; }

    public VolumeConsistency Consistency { get; set; } = VolumeConsistency.Crash;

    public string? ConsistencyProblem { get; set; }

    public OnlineBackupRecord? OnlineBackup { get; set; }

    public IReadOnlyList<HookRun> Hooks => _hooks;

    public void AddHooks(IEnumerable<HookRun> runs) => _hooks.AddRange(runs);
}
