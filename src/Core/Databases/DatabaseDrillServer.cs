using Strata.Core.Configuration;
using Strata.Core.Kubernetes;

namespace Strata.Core.Databases;

/// <summary>
/// The server a target's database drills restore into when it is not the target's own (<c>drill.server</c> in
/// strata.yaml): named as a target names its own server — a pod reached through exec, or a host the runner reaches —
/// with its own user and password. Nothing is taken from the target but its engine, its databases and its queries.
/// </summary>
public sealed record DatabaseDrillServer
{
    /// <summary>
    /// The cluster in strata.yaml its pod (and <see cref="PasswordSecret"/>) is on; null for the policy's
    /// <c>verification.drill.target</c>, else the backup's own cluster (<see cref="ClusterFor"/>).
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>Where the client tools run.</summary>
    public DatabaseExecutor Executor { get; init; } = DatabaseExecutor.Exec;

    /// <summary>The namespace of the pod (exec) and of <see cref="PasswordSecret"/>; <c>direct</c> for a direct server without one.</summary>
    public required string Namespace { get; init; }

    /// <summary>The pod to exec into, by name; or null with <see cref="PodSelector"/>.</summary>
    public string? Pod { get; init; }

    /// <summary>Selects the pod (the first Running and Ready one, by name) when <see cref="Pod"/> is null.</summary>
    public LabelSelector? PodSelector { get; init; }

    /// <summary>The container that has the client tools; null for the pod's default container.</summary>
    public string? Container { get; init; }

    /// <summary>The server's host; null for the local socket inside the pod (exec) — required for direct.</summary>
    public string? Host { get; init; }

    /// <summary>The server's port; null for the engine's default.</summary>
    public int? Port { get; init; }

    /// <summary>The user the tools sign in as; null for the engine's default (<c>postgres</c>, <c>root</c>).</summary>
    public string? User { get; init; }

    /// <summary>The password, from a Kubernetes Secret in <see cref="Namespace"/>; null with <see cref="Password"/> or for local auth.</summary>
    public SecretKeyReference? PasswordSecret { get; init; }

    /// <summary>The password, from an environment variable, a file or Key Vault; null with <see cref="PasswordSecret"/> or for local auth.</summary>
    public SecretReference? Password { get; init; }

    /// <summary>
    /// The cluster the server is reached through: its own <see cref="Cluster"/>, else <paramref name="drillTarget"/> (the
    /// policy's <c>verification.drill.target</c>, where the drill restores the objects: a DR cluster's drill server is
    /// expected there), else <paramref name="backupCluster"/>.
    /// </summary>
    public string ClusterFor(string backupCluster, string? drillTarget) => Cluster ?? drillTarget ?? backupCluster;

    /// <summary>
    /// <paramref name="target"/> as its drill reaches it: its engine, databases and queries, on this server, its messages
    /// naming it as the target's drill server.
    /// </summary>
    public DatabaseTarget Serving(DatabaseTarget target) => target with
    {
        Executor = Executor,
        Namespace = Namespace,
        Pod = Pod,
        PodSelector = PodSelector,
        Container = Container,
        Host = Host,
        Port = Port,
        User = User,
        PasswordSecret = PasswordSecret,
        Password = Password,
        DrillServer = null,
        ServerLabel = $"{target.Qualified}'s drill server",
    };
}
