namespace Strata.Sandbox;

/// <summary>
/// The kubelets of the sandbox's nodes, simulated (<see cref="SimulatedControllers.Kubelet"/>): a Pod created with
/// <c>spec.nodeName</c> and no <c>status.phase</c> is admitted at once (<c>Pending</c>, its containers
/// <c>ContainerCreating</c>) and, after <see cref="StartDelay"/>, runs (<c>Running</c>, containers ready and started),
/// or fails as a rule says; one with <c>activeDeadlineSeconds</c> is stopped at its deadline (<c>Failed</c>,
/// <c>DeadlineExceeded</c>). Nothing runs: commands in the Pod are exec handlers' (<see cref="SandboxOptions.PodExec"/>).
/// Pods without a node stay as they are created (no scheduler is simulated).
/// </summary>
public sealed record SimulatedKubelet
{
    /// <summary>How long a Pod takes from admission to running (image pull and container start).</summary>
    public TimeSpan StartDelay { get; init; }

    /// <summary>Pods whose containers exit at once with status 1 (given the Pod): <c>Failed</c> after <see cref="StartDelay"/>.</summary>
    public Func<SandboxObject, bool>? Fails { get; init; }

    /// <summary>Pods whose image cannot be pulled (given the Pod): they stay <c>Pending</c>, the container waiting <c>ErrImagePull</c>.</summary>
    public Func<SandboxObject, bool>? ImagePullFails { get; init; }
}
