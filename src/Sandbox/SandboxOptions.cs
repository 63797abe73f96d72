namespace Strata.Sandbox;

/// <summary>Settings of a sandbox API server.</summary>
public sealed record SandboxOptions
{
    /// <summary>What <c>/version</c> reports.</summary>
    public string GitVersion { get; init; } = "v1.31.4";

    /// <summary>A delay added to every object request (to model a remote server).</summary>
    public TimeSpan RequestDelay { get; init; }

    /// <summary>
    /// How long a new CRD takes to become Established (and its resource to be served); zero
    /// establishes it at once. Real servers take from milliseconds to seconds.
    /// </summary>
    public TimeSpan CrdEstablishDelay { get; init; }

    /// <summary>
    /// The clock of timestamps, delays and the simulated controllers. A clock a test moves (whose
    /// timers still run on real time) makes controller delays wait for the test.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The controllers that make workloads ready, bind claims and complete Jobs; null (the default):
    /// none run, and objects keep the status clients give them.
    /// </summary>
    public SimulatedControllers? Controllers { get; init; }

    /// <summary>
    /// How long the namespace controller takes, after a namespace is deleted (and marked
    /// <c>Terminating</c>), to delete its contents and remove it; zero: before the DELETE returns.
    /// </summary>
    public TimeSpan NamespaceDeletionDelay { get; init; }

    /// <summary>Validating admission (webhooks and policies) applied to every create and update, dry runs included.</summary>
    public IReadOnlyList<AdmissionRule> Admission { get; init; } = [];

    /// <summary>
    /// Answers <c>pods/exec</c>: the sandbox runs no containers, so a test says what a command
    /// prints and how it exits. Without one, an exec fails with a <c>Status</c> saying so.
    /// </summary>
    public Func<PodExecRequest, CancellationToken, Task<PodExecResult>>? PodExec { get; init; }
}
