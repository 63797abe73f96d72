namespace Strata.Sandbox;

/// <summary>Settings of a sandbox API server.</summary>
public sealed record SandboxOptions
{
    /// <summary>
    /// The DNS names the server's certificate is for, and only those; null (the default): 127.0.0.1, ::1, localhost and
    /// the in-cluster names. A certificate that names none of the addresses the server is reached at is checked against
    /// kubeconfig's <c>tls-server-name</c>, as a control plane behind a load balancer reached by address is.
    /// </summary>
    public IReadOnlyList<string>? ServerCertificateNames { get; init; }

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

    /// <summary>
    /// How requests are authorized: <see cref="Security.AuthorizationMode.AlwaysAllow"/> (the default), or
    /// <see cref="Security.AuthorizationMode.Rbac"/>: with the Roles, ClusterRoles and bindings the sandbox stores, seeded
    /// with kube-apiserver's discovery roles (<c>system:discovery</c>, <c>system:public-info-viewer</c>,
    /// <c>system:basic-user</c>, bound to every authenticated user). Tokens for ServiceAccounts come from
    /// <see cref="Security.AccessControl.IssueServiceAccountToken"/>.
    /// </summary>
    public Security.AuthorizationMode Authorization { get; init; }

    /// <summary>Validating admission (webhooks and policies) applied to every create and update, dry runs included.</summary>
    public IReadOnlyList<AdmissionRule> Admission { get; init; } = [];

    /// <summary>
    /// Runs <c>pods/exec</c> commands in pods that have no handler of their own
    /// (<see cref="SandboxApiServer.BindExec"/>). The sandbox runs no containers, so a handler plays
    /// the command (<see cref="PodExecHandlers.Answer(string, int, string)"/>) or runs it on the host
    /// (<see cref="HostProcessExec"/>). Without one, an exec fails with a Status saying so.
    /// </summary>
    public PodExecHandler? PodExec { get; init; }

    /// <summary>
    /// The exec subprotocols the server speaks. <see cref="ExecSubprotocolsSince130"/> (the default)
    /// includes <c>v5.channel.k8s.io</c>; <see cref="ExecSubprotocolsBefore130"/> is a 1.29 server,
    /// whose newest is <c>v4.channel.k8s.io</c>.
    /// </summary>
    public IReadOnlyList<string> ExecSubprotocols { get; init; } = ExecSubprotocolsSince130;

    /// <summary>What kube-apiserver 1.30 and later accept for exec over WebSocket.</summary>
    public static IReadOnlyList<string> ExecSubprotocolsSince130 { get; } =
        ["v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

    /// <summary>What a 1.29 server (its kubelet) accepts: no <c>v5.channel.k8s.io</c>, so no way to close stdin.</summary>
    public static IReadOnlyList<string> ExecSubprotocolsBefore130 { get; } =
        ["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];
}
