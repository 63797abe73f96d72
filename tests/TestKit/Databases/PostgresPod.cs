using Strata.Sandbox;

namespace Strata.TestKit.Databases;

/// <summary>
/// A sandbox pod in front of a <see cref="PostgresServer"/>: the pod (Running, container <c>postgres</c>), the Secret
/// <see cref="Secret"/> holding the password under <c>password</c>, and the pod's <c>pods/exec</c> bound to processes on
/// this host with the server's libpq environment (never the password) — so <c>pg_dump</c> "in the pod" really dumps it.
/// </summary>
public static class PostgresPod
{
    /// <summary>The Secret with the password (key <c>password</c>), in the pod's namespace.</summary>
    public const string Secret = "pg-auth";

    /// <summary>
    /// Creates namespace <paramref name="ns"/> (when missing), pod <paramref name="pod"/> and the Secret on <paramref name="cluster"/>
    /// (the password <paramref name="password"/>, default the server's), and binds the pod's exec to <paramref name="handler"/>
    /// (default <see cref="Bind"/>).
    /// </summary>
    public static void Create(SandboxApiServer cluster, PostgresServer server, string ns, string pod, PodExecHandler? handler = null, string? password = null)
    {
        SampleApplication.DatabasePod(cluster, ns, pod, "postgres", Secret, password ?? server.Password, handler ?? Bind(server));
    }

    /// <summary>
    /// Another pod in a namespace <see cref="Create"/> made (it shares that namespace's Secret): Running, container
    /// <c>postgres</c>, its exec bound to <paramref name="handler"/> — a replica, or a pod a restore is moved to.
    /// </summary>
    public static void AddPod(SandboxApiServer cluster, string ns, string pod, PodExecHandler handler)
    {
        cluster.Create(SampleApplication.Pod(ns, pod, null, "Running", "postgres"));
        cluster.BindExec(ns, pod, handler);
    }

    /// <summary>
    /// The exec of the server's own pod signing in as <paramref name="user"/> over its Unix socket, as a client inside a
    /// database's container does — with <see cref="PostgresServer.TrustLocalAsync"/>, with no password at all.
    /// </summary>
    public static PodExecHandler BindLocal(PostgresServer server, string user) => new HostProcessExec { Environment = server.LocalEnvironment(user) }.RunAsync;

    /// <summary>The pod's exec, as processes on this host against <paramref name="server"/> (PGHOST/PGPORT, never the password).</summary>
    public static PodExecHandler Bind(PostgresServer server) => new HostProcessExec { Environment = server.Environment() }.RunAsync;
}
