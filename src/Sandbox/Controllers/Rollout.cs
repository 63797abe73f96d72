namespace Strata.Sandbox.Controllers;

/// <summary>Where a workload's pods are, as its status reports them.</summary>
internal enum Rollout
{
    /// <summary>Created or changed, the pods not ready yet.</summary>
    Progressing,

    /// <summary>Every desired pod ready and available.</summary>
    Complete,

    /// <summary>The delay passed and the pods never became ready (a <see cref="SimulatedControllers.NeverReady"/> workload).</summary>
    Stalled,
}
