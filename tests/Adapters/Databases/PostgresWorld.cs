using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>
/// A control plane (<see cref="ControlPlaneWorld"/>) whose "prod" sandbox has a pod <c>db/postgres-0</c> bound to a
/// real PostgreSQL: what "the pod" runs through <c>pods/exec</c> runs on this host against the fixture's server, so
/// <c>pg_dump</c> in the pod really dumps it. The password is in the Secret <c>db/pg-auth</c>.
/// </summary>
internal static class PostgresWorld
{
    public const string Namespace = "db";
    public const string Pod = "postgres-0";

    /// <summary>Starts the world with <paramref name="policies"/> and the pod bound to <paramref name="server"/> (or to <paramref name="handler"/>).</summary>
    public static async Task<ControlPlaneWorld> StartAsync(PostgresServer server, string policies, PodExecHandler? handler = null, string? password = null)
    {
        var world = await ControlPlaneWorld.StartAsync(policies);
        PostgresPod.Create(world.Prod, server, Namespace, Pod, handler, password);
        world.Variables["PG_PASSWORD"] = server.Password;
        await world.LoadAsync();
        return world;
    }

    /// <summary>The pod's exec, as processes on this host against <paramref name="server"/> (PGHOST/PGPORT, never the password).</summary>
    public static PodExecHandler Bind(PostgresServer server) => PostgresPod.Bind(server);

    /// <summary>A pod whose container has a shell and nothing else: no PostgreSQL client tools.</summary>
    public static PodExecHandler ShellOnly(PostgresServer server) => new HostProcessExec
    {
        Environment = new Dictionary<string, string>(server.Environment()) { ["PATH"] = "/var/empty" },
        Programs = new Dictionary<string, string> { ["sh"] = "/bin/sh" },
    }.RunAsync;

    /// <summary>Runs one backup of <paramref name="policy"/> on prod through the control plane's workers, and returns its record.</summary>
    public static async Task<BackupRecord> BackupAsync(ControlPlaneWorld world, string policy, string id = "ci-1")
    {
        var backup = new Envelope(id, id, world.Clock.GetUtcNow(), new BackupRequested("prod", policy, RequestedBy: "test"));
        await InlinePipeline.RunAsync(world.Context, backup);
        return (await world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(backup)))!;
    }
}
