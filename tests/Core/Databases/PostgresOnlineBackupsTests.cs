using System.Text;
using Strata.Core.Commands;
using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.Core.Ports;
using Strata.TestKit;

namespace Strata.Core.Tests.Databases;

/// <summary>
/// Online-backup sessions against a scripted psql (the live server is in tests/Adapters/Databases): the functions each server
/// version gets, the files decoded from hex, servers too old refused, a step that never answers, psql's stderr read for the
/// server's own words.
/// </summary>
public sealed class PostgresOnlineBackupsTests
{
    private const string Password = "s3cret-Pa55";

    private static readonly DatabaseTarget Target = new()
    {
        Name = "legacy", Namespace = "direct", Executor = DatabaseExecutor.Direct, Host = "pg.example.com", AllDatabases = true,
        Password = new SecretReference(SecretSource.Environment, "PG_PASSWORD"),
    };

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 2, 30, 0, TimeSpan.Zero);

    private readonly ScriptedPsql _psql = new();
    private readonly ManualClock _clock = new(Now);

    private PostgresOnlineBackups Backups(TimeSpan? step = null) =>
        new(_ => new DatabaseConnector(null, null, _psql, new FixedSecret(Password)), _clock, step);

    /// <summary>A server at <paramref name="version"/> whose <c>archive_mode</c> and recovery state are <paramref name="archiving"/>.</summary>
    private void ServerAt(int version, string? stop = null, string archiving = "on\tf") => _psql.Answer = sql => sql switch
    {
        _ when sql.Contains("server_version_num", StringComparison.Ordinal) => new PsqlAnswer($"{version}\n"),
        _ when sql.Contains("archive_mode", StringComparison.Ordinal) => new PsqlAnswer($"{archiving}\n"),
        _ when sql.Contains("_start", StringComparison.Ordinal) || sql.Contains("start_", StringComparison.Ordinal) => new PsqlAnswer("0/3000028\n"),
        _ when sql.Contains("stop", StringComparison.Ordinal) => new PsqlAnswer(stop ?? ""),
        _ => new PsqlAnswer(),
    };

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData(170000, "pg_backup_start('nightly', fast => true)", "pg_backup_stop(wait_for_archive => true)")]
    [InlineData(150004, "pg_backup_start('nightly', fast => true)", "pg_backup_stop(wait_for_archive => true)")]
    [InlineData(140010, "pg_start_backup('nightly', true, false)", "pg_stop_backup(false, true)")]
    [InlineData(100000, "pg_start_backup('nightly', true, false)", "pg_stop_backup(false, true)")]
    [InlineData(90624, "pg_start_backup('nightly', true, false)", "pg_stop_backup(false)")]
    public void For_Version_NonExclusiveFunctionsThatWaitForTheArchive(int version, string start, string stop)
    {
        var functions = PostgresBackupFunctions.For(version)!;

        Assert.Equal($"select {start};", functions.Start("nightly"));
        Assert.EndsWith($"from {stop};", functions.Stop(), StringComparison.Ordinal);
    }

    [Fact]
    public void For_Before96_None()
    {
        Assert.Null(PostgresBackupFunctions.For(90599));
        Assert.Equal(("PostgreSQL 9.5.25", "PostgreSQL 15.4"), (PostgresBackupFunctions.VersionText(90525), PostgresBackupFunctions.VersionText(150004)));
    }

    [Fact]
    public async Task StartStop_Server96_NonExclusiveInOneSession_FilesDecodedFromHex()
    {
        const string label = "START WAL LOCATION: 0/3000028 (file 000000010000000000000003)\nCHECKPOINT LOCATION: 0/3000060\nLABEL: it's nightly\n";
        const string map = "16385 /mnt/fast\n";
        ServerAt(90624, $"0/3000100\t{Hex(label)}\t{Hex(map)}\n");

        await using var session = await Backups().OpenAsync(Target, "prod");
        var started = await session.StartAsync("it's nightly");
        _clock.Advance(TimeSpan.FromSeconds(42));
        var stopped = await session.StopAsync();

        Assert.Equal(("direct/legacy", "it's nightly", "this host", 90624), (started.Target, started.Label, started.RanIn, started.ServerVersion));
        Assert.Equal(("0/3000028", Now), (started.StartLsn, started.StartedAt));
        Assert.Null(started.BackupLabel);
        Assert.Equal(("0/3000028", "0/3000100", Now.AddSeconds(42)), (stopped.StartLsn, stopped.StopLsn, stopped.StoppedAt));
        Assert.Equal((label, map), (stopped.BackupLabel, stopped.TablespaceMap));
        Assert.Null(session.Pod);
        Assert.Equal([
            "select current_setting('server_version_num');",
            "set client_encoding = 'UTF8'; set application_name = 'strata online backup'; set statement_timeout = 600000;",
            "select current_setting('archive_mode'), pg_is_in_recovery();",
            "select pg_start_backup('it''s nightly', true, false);",
            "select lsn, encode(convert_to(labelfile, 'UTF8'), 'hex'), encode(convert_to(coalesce(spcmapfile, ''), 'UTF8'), 'hex') from pg_stop_backup(false);",
        ], _psql.Statements);
        var psql = Assert.Single(_psql.Commands);
        Assert.Equal(["psql", "--no-password", "--no-psqlrc", "--quiet", "--tuples-only", "--no-align", "--field-separator", "\t", "--set", "ON_ERROR_STOP=1"], psql.Command.Take(10));
        Assert.DoesNotContain(psql.Command, a => a.Contains(Password, StringComparison.Ordinal));
        Assert.Equal(Password, psql.Environment!["PGPASSWORD"]);
    }

    [Fact]
    public async Task StartStop_Server16_NoTablespaces_MapIsNull_IdleSessionTimeoutOff()
    {
        ServerAt(160002, $"0/5000100\t{Hex("LABEL: x\n")}\t\n");

        await using var session = await Backups(TimeSpan.FromSeconds(90)).OpenAsync(Target, "prod");
        await session.StartAsync("x");
        var stopped = await session.StopAsync();

        Assert.Null(stopped.TablespaceMap);
        Assert.Contains("set statement_timeout = 90000; set idle_session_timeout = 0;", _psql.Statements[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_Server95_RefusedWithItsVersion_AndThePsqlEnded()
    {
        ServerAt(90525);

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => Backups().OpenAsync(Target, "prod"));

        Assert.Equal("database target direct/legacy: the server is PostgreSQL 9.5.25, which has only exclusive online backups "
            + "(a crash in one leaves the server unable to restart); PostgreSQL 9.6 or later is needed", e.Message);
        Assert.Single(_psql.Statements);
    }

    [Fact]
    public async Task OpenAsync_MariaDbTarget_Refused()
    {
        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => Backups().OpenAsync(Target with { Engine = DatabaseEngine.MariaDb }, "prod"));

        Assert.StartsWith("database target direct/legacy: online backups around volume snapshots need PostgreSQL", e.Message, StringComparison.Ordinal);
        Assert.Empty(_psql.Commands);
    }

    [Fact]
    public async Task StopAsync_StatementNeverAnswers_FailsInTime_NamingTheStep_AndNotApplicationConsistent()
    {
        ServerAt(150004);
        var answer = _psql.Answer;
        _psql.Answer = sql => sql.Contains("pg_backup_stop", StringComparison.Ordinal) ? new PsqlAnswer(Hangs: true) : answer(sql);
        await using var session = await Backups(TimeSpan.FromSeconds(1)).OpenAsync(Target, "prod");
        await session.StartAsync("x");

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StopAsync());

        Assert.Equal("database target direct/legacy: pg_backup_stop in this host did not answer within 2s; the session is ended: "
            + "the backup did not stop in the session that started it, so the snapshots taken since pg_backup_start are not application-consistent", e.Message);
    }

    [Fact]
    public async Task StartAsync_ServerError_TheServersLine_WithoutThePassword_AndTheSessionIsOver()
    {
        ServerAt(150004);
        var answer = _psql.Answer;
        _psql.Answer = sql => sql.Contains("pg_backup_start", StringComparison.Ordinal)
            ? new PsqlAnswer(Error: $"ERROR:  permission denied for function pg_backup_start (it was {Password})")
            : answer(sql);
        await using var session = await Backups().OpenAsync(Target, "prod");

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StartAsync("x"));
        var again = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StartAsync("x"));

        Assert.Equal("database target direct/legacy: pg_backup_start in this host failed: ERROR: permission denied for function pg_backup_start (it was ***)", e.Message);
        Assert.Equal(e.Message, again.Message);
        Assert.Equal(4, _psql.Statements.Count);
    }

    [Theory]
    [InlineData("off\tf", "archive_mode is off")]
    [InlineData("on\tt", "the server is a standby, where archive_mode = on archives nothing (only 'always' does)")]
    public async Task StartAsync_ServerDoesNotArchiveItsWal_RefusedBeforePgBackupStart(string archiving, string why)
    {
        ServerAt(150004, archiving: archiving);
        await using var session = await Backups().OpenAsync(Target, "prod");

        var e = await Assert.ThrowsAsync<DatabaseTargetException>(() => session.StartAsync("x"));

        Assert.Equal($"database target direct/legacy: {why}: recovering a snapshot with its backup_label needs the WAL from pg_backup_start to pg_backup_stop "
            + "from the WAL archive; the snapshots are taken crash-consistent instead", e.Message);
        Assert.DoesNotContain(_psql.Statements, sql => sql.Contains("pg_backup_start", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("always\tt")] // a standby that archives
    [InlineData("always\tf")]
    [InlineData("on\tf")]
    public async Task StartAsync_ServerArchivesItsWal_Starts(string archiving)
    {
        ServerAt(150004, $"0/5000100\t{Hex("LABEL: x\n")}\t\n", archiving);
        await using var session = await Backups().OpenAsync(Target, "prod");

        await session.StartAsync("x");
        var stopped = await session.StopAsync();

        Assert.Equal("0/5000100", stopped.StopLsn);
    }

    [Fact]
    public async Task StopAsync_NotStarted_IsACallersMistake()
    {
        ServerAt(150004);
        await using var session = await Backups().OpenAsync(Target, "prod");

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.StopAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => session.StartAsync("two\nlines"));
    }

    [Theory]
    [InlineData("psql:<stdin>:4: ERROR:  a backup is already in progress in this session\n", "ERROR: a backup is already in progress in this session")]
    [InlineData("psql: error: connection to server at \"10.0.0.5\", port 5432 failed: FATAL:  password authentication failed for user \"postgres\"\n",
        "FATAL: password authentication failed for user \"postgres\"")]
    [InlineData("psql: error: connection to server at \"10.0.0.5\", port 5432 failed: Connection refused\n\tIs the server running on that host?\n",
        "error: connection to server at \"10.0.0.5\", port 5432 failed: Connection refused")]
    [InlineData("FATAL:  terminating connection due to administrator command\nserver closed the connection unexpectedly\npsql:<stdin>:7: error: connection to server was lost\n",
        "FATAL: terminating connection due to administrator command")]
    public void Reason_Stderr_TheServersOwnLine(string stderr, string expected) =>
        Assert.Equal(expected, PsqlConversation.Reason(new CommandExit(2, stderr)));

    [Fact]
    public void Reason_NoServerLine_HowPsqlEnded()
    {
        Assert.Equal("the exec stream ended before the command's exit status arrived",
            PsqlConversation.Reason(new CommandExit(null, "", "the exec stream ended before the command's exit status arrived")));
        Assert.StartsWith("psql is not installed", PsqlConversation.Reason(new CommandExit(127, "sh: psql: not found\n")), StringComparison.Ordinal);
    }

    private sealed class FixedSecret(string value) : ISecretValues
    {
        public Task<string> ResolveAsync(SecretReference reference, CancellationToken cancellationToken = default) => Task.FromResult(value);
    }
}
