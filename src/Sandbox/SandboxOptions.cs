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

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Answers <c>pods/exec</c>: the sandbox runs no containers, so a test says what a command
    /// prints and how it exits. Without one, an exec fails with a <c>Status</c> saying so.
    /// </summary>
    public Func<PodExecRequest, CancellationToken, Task<PodExecResult>>? PodExec { get; init; }
}
