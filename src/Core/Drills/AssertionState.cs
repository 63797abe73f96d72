namespace Strata.Core.Drills;

/// <summary>Where one assertion stands at one look.</summary>
public enum AssertionState
{
    /// <summary>Not yet: it may still hold before the timeout.</summary>
    Pending,

    /// <summary>It holds.</summary>
    Met,

    /// <summary>It will not hold: a Job failed, a rollout exceeded its progress deadline, a type the target does not serve.</summary>
    Failed,
}
