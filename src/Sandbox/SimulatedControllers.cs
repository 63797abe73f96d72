namespace Strata.Sandbox;

/// <summary>
/// The kube-controller-manager loops the sandbox simulates, so that what a restore drill waits
/// for happens: Deployments, StatefulSets, DaemonSets and ReplicaSets report their replicas ready,
/// PersistentVolumeClaims are provisioned and bound (from snapshots too), Jobs complete, and (opt-in) CloudNativePG
/// backs up and CSI drivers take snapshots. Each after its delay on
/// <see cref="SandboxOptions.Time"/> (zero: before the write that started it returns), or never
/// for what a rule picks. No pods are created; with <see cref="Kubelet"/>, the Pods clients create on a node start.
/// </summary>
public sealed record SimulatedControllers
{
    /// <summary>How long a workload takes to be ready after it is created or its spec changes (a generation bump).</summary>
    public TimeSpan WorkloadReadyDelay { get; init; }

    /// <summary>How long a claim takes to be provisioned and bound after it is created.</summary>
    public TimeSpan VolumeBindDelay { get; init; }

    /// <summary>How long a Job runs before it completes (or fails, by <see cref="JobFails"/>).</summary>
    public TimeSpan JobCompletionDelay { get; init; }

    /// <summary>The schedulable nodes a DaemonSet runs on.</summary>
    public int NodeCount { get; init; } = 3;

    /// <summary>
    /// Workloads whose pods never become ready: their status stays below the desired replicas, and a
    /// Deployment reports <c>Progressing=False</c>, reason <c>ProgressDeadlineExceeded</c>, after the delay.
    /// </summary>
    public Func<SandboxObject, bool>? NeverReady { get; init; }

    /// <summary>Claims that are never provisioned nor bound: they stay <c>Pending</c> (e.g. a class whose provisioner is missing).</summary>
    public Func<SandboxObject, bool>? NeverBinds { get; init; }

    /// <summary>Jobs whose pods fail: after the delay, <c>Failed=True</c>, reason <c>BackoffLimitExceeded</c>.</summary>
    public Func<SandboxObject, bool>? JobFails { get; init; }

    /// <summary>The CloudNativePG operator, simulated; null (the default): not installed, Backups keep the status clients give them.</summary>
    public SimulatedCloudNativePg? CloudNativePg { get; init; }

    /// <summary>
    /// The CSI snapshot controller and sidecars, simulated; null (the default): not installed, VolumeSnapshots keep
    /// the status clients give them and claims restored from snapshots stay Pending.
    /// </summary>
    public SimulatedSnapshots? Snapshots { get; init; }

    /// <summary>
    /// The nodes' kubelets, simulated; null (the default): none, and Pods keep the status clients give them. With it,
    /// a Pod created on a node (<c>spec.nodeName</c>) without a status starts, and exec can reach it.
    /// </summary>
    public SimulatedKubelet? Kubelet { get; init; }
}
