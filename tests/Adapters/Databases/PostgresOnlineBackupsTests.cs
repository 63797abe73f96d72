using Npgsql;
using Strata.Adapters.Commands;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Databases;

namespace Strata.Adapters.Tests.Databases;

/// <summary>A PostgreSQL 15 that archives its WAL (into nowhere: <c>archive_command=true</c>), so <c>pg_backup_stop</c> really waits for the archiver.</summary>
public sealed class ArchivingPostgres : IAsyncLifetime
{
    public PostgresServer Server { get; } = new() { Settings = ["archive_mode=on", "archive_command=true"] };

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        await OnlineBackupProbe.PrepareAsync(Server);
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

/// <summary>
/// Online backups against a real PostgreSQL, through both executors — <c>exec</c> (a sandbox pod whose exec runs the real psql on
/// this host) and <c>direct</c> (psql on this host): a backup is in progress between the start and the stop and none after, the
/// <c>backup_label</c> is the server's, a session that drops or is disposed leaves no backup behind, and the server's refusals
/// read as one line without the password.
/// </summary>
public sealed class PostgresOnlineBackupsTests(ArchivingPostgres fixture) : IClassFixture<ArchivingPostgres>, IAsyncLifetime
{
    private const string Namespace = "db";
    private const string Pod = "postgres-0";

    private readonly SandboxFixture _sandbox = new();
    private readonly PostgresServer _server = fixture.Server;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        _client = _sandbox.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Theory]
    [InlineData(DatabaseExecutor.Exec)]
    [InlineData(DatabaseExecutor.Direct)]
    public async Task StartStop_BackupInProgressOnlyBetween_LabelIsTheServers(DatabaseExecutor executor)
    {
        var target = Target(executor);
        var label = $"strata test {executor} {Guid.NewGuid():N}";
        var steps = new List<string>();
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server));

        await using (var session = await Backups().OpenAsync(target, "prod"))
        {
            var started = await session.StartAsync(label);
            steps.Add("start");

            // Between: where the volume layer takes its snapshots. Read from connections of the test's own.
            var between = TimeProvider.System.GetUtcNow();
            var (checkpoint, walFile, lsnBetween) = await ServerStateAsync(started.StartLsn!);
            Assert.NotNull(await OnlineBackupProbe.SessionPidAsync(_server, label));
            Assert.True(await OnlineBackupProbe.BackupInProgressAsync(_server), "no backup in progress between start and stop");
            steps.Add("snapshots");

            var stopped = await session.StopAsync();
            steps.Add("stop");

            Assert.Equal(["start", "snapshots", "stop"], steps);
            Assert.True(stopped.StartedAt <= between && between <= stopped.StoppedAt);
            Assert.True(OnlineBackupProbe.Lsn(stopped.StartLsn!) <= OnlineBackupProbe.Lsn(lsnBetween) && OnlineBackupProbe.Lsn(lsnBetween) < OnlineBackupProbe.Lsn(stopped.StopLsn!));
            Assert.Equal((target.Qualified, label, session.RanIn, started.StartLsn), (stopped.Target, stopped.Label, stopped.RanIn, stopped.StartLsn));
            Assert.InRange(stopped.ServerVersion!.Value, 150000, 159999);
            Assert.Equal(executor == DatabaseExecutor.Exec ? (Namespace, Pod) : null, session.Pod);
            Assert.Equal(executor == DatabaseExecutor.Exec ? $"pod {Namespace}/{Pod} (container postgres)" : "this host", session.RanIn);

            var backupLabel = stopped.BackupLabel!;
            Assert.Contains($"START WAL LOCATION: {started.StartLsn} (file {walFile})\n", backupLabel, StringComparison.Ordinal);
            Assert.Contains($"CHECKPOINT LOCATION: {checkpoint}\n", backupLabel, StringComparison.Ordinal);
            Assert.Contains($"LABEL: {label}\n", backupLabel, StringComparison.Ordinal);
            Assert.Contains("BACKUP METHOD: streamed\n", backupLabel, StringComparison.Ordinal);
            Assert.Equal(Keys(await IndependentBackupLabelAsync()), Keys(backupLabel)); // the same file Npgsql gets from the server, field for field
            Assert.Null(stopped.TablespaceMap);
        }

        Assert.Null(await OnlineBackupProbe.SessionPidAsync(_server, label));
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server));
    }

    [Fact]
    public async Task StartStop_Kubernetes129_ExecOverV4_PsqlLeavesOnBackslashQ_ThoughStdinCannotClose()
    {
        await using var old = await SandboxApiServer.StartAsync(new SandboxOptions { ExecSubprotocols = SandboxOptions.ExecSubprotocolsBefore130 });
        PostgresPod.Create(old, _server, Namespace, Pod);
        using var client = new KubernetesClient(Adapters.Kubernetes.Configuration.Kubeconfig.Parse(old.Kubeconfig(), "k").Resolve());
        var backups = new PostgresOnlineBackups(_ => new DatabaseConnector(client, client, new LocalCommands(), new SecretResolver(_ => null)), TimeProvider.System);
        var label = $"strata test v4 {Guid.NewGuid():N}";
        var session = await backups.OpenAsync(Target(DatabaseExecutor.Exec), "prod");
        await session.StartAsync(label);
        var pid = (await OnlineBackupProbe.SessionPidAsync(_server, label))!.Value;
        var stopped = await session.StopAsync();

        var quitting = System.Diagnostics.Stopwatch.StartNew();
        await session.DisposeAsync();

        Assert.Contains($"LABEL: {label}\n", stopped.BackupLabel, StringComparison.Ordinal);
        Assert.True(quitting.Elapsed < PsqlConversation.QuitGrace / 2, $"psql did not leave on \\q (disposing took {quitting.Elapsed})");
        Assert.True(await OnlineBackupProbe.EndedAsync(_server, pid));
    }

    [Theory]
    [InlineData(DatabaseExecutor.Exec)]
    [InlineData(DatabaseExecutor.Direct)]
    public async Task StopAsync_BackendTerminated_FailsNamingTheTarget_NoBackupLeft(DatabaseExecutor executor)
    {
        var label = $"strata test {Guid.NewGuid():N}";
        await using var session = await Backups().OpenAsync(Target(executor), "prod");
        await session.StartAsync(label);
        var pid = (await OnlineBackupProbe.SessionPidAsync(_server, label))!.Value;
        await _server.ExecuteAsync("postgres", $"select pg_terminate_backend({pid})");

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StopAsync());

        var where = executor == DatabaseExecutor.Exec ? $"pod {Namespace}/{Pod} (container postgres)" : "this host";
        Assert.Equal($"database target {Target(executor).Qualified}: pg_backup_stop in {where} failed: FATAL: terminating connection due to administrator command: "
            + "the backup did not stop in the session that started it, so the snapshots taken since pg_backup_start are not application-consistent", e.Message);
        Assert.True(await OnlineBackupProbe.EndedAsync(_server, pid));
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server));
    }

    [Fact]
    public async Task StopAsync_ExecStreamDropped_FailsNamingTheTarget_AndThePsqlInThePodEndsWithItsBackup()
    {
        var drop = new TaskCompletionSource();
        var label = $"strata test {Guid.NewGuid():N}";
        await using var session = await Backups(handler: Dropping(PostgresPod.Bind(_server), drop.Task)).OpenAsync(Target(DatabaseExecutor.Exec), "prod");
        await session.StartAsync(label);
        var pid = (await OnlineBackupProbe.SessionPidAsync(_server, label))!.Value;
        Assert.True(await OnlineBackupProbe.BackupInProgressAsync(_server));

        drop.SetResult();
        Assert.True(await OnlineBackupProbe.EndedAsync(_server, pid), "the psql behind a dropped exec kept its session");
        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StopAsync());

        Assert.Equal($"database target {Namespace}/main: the session in pod {Namespace}/{Pod} (container postgres) ended before pg_backup_stop: "
            + "the exec stream ended before the command's exit status arrived: "
            + "the backup did not stop in the session that started it, so the snapshots taken since pg_backup_start are not application-consistent", e.Message);
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server));
    }

    [Theory]
    [InlineData(DatabaseExecutor.Exec)]
    [InlineData(DatabaseExecutor.Direct)]
    public async Task DisposeAsync_StartedNotStopped_TheServerAbortsTheBackup(DatabaseExecutor executor)
    {
        var label = $"strata test {Guid.NewGuid():N}";
        int pid;
        await using (var session = await Backups().OpenAsync(Target(executor), "prod"))
        {
            await session.StartAsync(label);
            pid = (await OnlineBackupProbe.SessionPidAsync(_server, label))!.Value;
            Assert.True(await OnlineBackupProbe.BackupInProgressAsync(_server));
        }

        Assert.True(await OnlineBackupProbe.EndedAsync(_server, pid));
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server));
    }

    [Fact]
    public async Task StartAsync_Twice_TheServerRefusesInOneLine_AndTheSessionEndsWithItsBackup()
    {
        var label = $"strata test {Guid.NewGuid():N}";
        await using var session = await Backups().OpenAsync(Target(DatabaseExecutor.Exec), "prod");
        await session.StartAsync(label);
        var pid = (await OnlineBackupProbe.SessionPidAsync(_server, label))!.Value;

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StartAsync(label + " again"));

        Assert.Equal($"database target {Namespace}/main: pg_backup_start in pod {Namespace}/{Pod} (container postgres) failed: ERROR: a backup is already in progress in this session", e.Message);
        Assert.True(await OnlineBackupProbe.EndedAsync(_server, pid));
        Assert.False(await OnlineBackupProbe.BackupInProgressAsync(_server));
    }

    [Fact]
    public async Task StartAsync_RoleWithoutTheRight_TheServerRefusesInOneLine_WithoutThePassword()
    {
        var role = "nobackup_" + Guid.NewGuid().ToString("N")[..8];
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        await _server.ExecuteAsync("postgres", $"create role {role} login password '{password}'");
        var target = Target(DatabaseExecutor.Direct) with { User = role, Password = new SecretReference(SecretSource.Environment, "ROLE_PASSWORD") };
        await using var session = await Backups(secrets: name => name == "ROLE_PASSWORD" ? password : null).OpenAsync(target, "prod");

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StartAsync("strata test"));

        Assert.Equal("database target direct/main: pg_backup_start in this host failed: ERROR: permission denied for function pg_backup_start", e.Message);
        Assert.DoesNotContain(password, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WrongPasswordInTheSecret_SignInRefusedInOneLine_WithoutThePassword()
    {
        const string wrong = "not-the-Password-42";

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => Backups(password: wrong).OpenAsync(Target(DatabaseExecutor.Exec), "prod"));

        Assert.Equal($"database target {Namespace}/main: opening the session in pod {Namespace}/{Pod} (container postgres) failed: "
            + "FATAL: password authentication failed for user \"postgres\"", e.Message);
        Assert.DoesNotContain(wrong, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Password, e.ToString(), StringComparison.Ordinal);
    }

    private DatabaseTarget Target(DatabaseExecutor executor) => executor == DatabaseExecutor.Exec
        ? new DatabaseTarget
        {
            Name = "main", Namespace = Namespace, Pod = Pod, Container = "postgres", AllDatabases = true, Consistency = VolumeConsistency.Application,
            PasswordSecret = new SecretKeyReference(PostgresPod.Secret, "password"),
        }
        : new DatabaseTarget
        {
            Name = "main", Namespace = "direct", Executor = DatabaseExecutor.Direct, Host = _server.Host, Port = _server.Port, AllDatabases = true,
            Consistency = VolumeConsistency.Application, Volumes = ["pgdata"], Password = new SecretReference(SecretSource.Environment, "PG_PASSWORD"),
        };

    /// <summary>The sessions, with the pod <c>db/postgres-0</c> in the sandbox (its exec bound to <paramref name="handler"/>, its Secret holding <paramref name="password"/>).</summary>
    private PostgresOnlineBackups Backups(PodExecHandler? handler = null, string? password = null, Func<string, string?>? secrets = null)
    {
        PostgresPod.Create(_sandbox.Server, _server, Namespace, Pod, handler, password);
        var resolver = new SecretResolver(secrets ?? (name => name == "PG_PASSWORD" ? _server.Password : null));
        return new PostgresOnlineBackups(_ => new DatabaseConnector(_client, _client, new LocalCommands(), resolver), TimeProvider.System);
    }

    /// <summary>The pod's exec, dropped without a status (as a node that dies) once <paramref name="drop"/> completes.</summary>
    private static PodExecHandler Dropping(PodExecHandler inner, Task drop) => async (session, cancellationToken) =>
    {
        var running = inner(session, cancellationToken);
        if (await Task.WhenAny(running, drop) == drop)
        {
            session.Abort();
        }

        return await running;
    };

    /// <summary>The latest checkpoint (the backup's own, just made), the WAL file of <paramref name="startLsn"/>, and the current LSN.</summary>
    private async Task<(string Checkpoint, string WalFile, string Lsn)> ServerStateAsync(string startLsn)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select checkpoint_lsn::text, pg_walfile_name(@start::pg_lsn), pg_current_wal_lsn()::text from pg_control_checkpoint()", connection);
        command.Parameters.AddWithValue("start", startLsn);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    /// <summary>A backup_label got without Strata: pg_backup_start and pg_backup_stop on one Npgsql connection.</summary>
    private async Task<string> IndependentBackupLabelAsync()
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select pg_backup_start('independent', fast => true)", connection);
        await command.ExecuteNonQueryAsync();
        command.CommandText = "select labelfile from pg_backup_stop(wait_for_archive => true)";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string[] Keys(string backupLabel) => [.. backupLabel.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)])];
}
