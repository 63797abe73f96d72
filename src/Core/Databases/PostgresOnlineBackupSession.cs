using System.Globalization;
using System.Text;
using Strata.Core.Volumes;

namespace Strata.Core.Databases;

/// <summary>
/// An online backup in one <see cref="PsqlConversation"/>: <c>pg_backup_start</c> (or <c>pg_start_backup</c>, non-exclusive),
/// the caller's snapshots, then <c>pg_backup_stop</c> in the same session, whose <c>backup_label</c> and <c>tablespace_map</c>
/// are kept in the <see cref="OnlineBackupRecord"/>. Opened by <see cref="PostgresOnlineBackups"/>.
/// </summary>
public sealed class PostgresOnlineBackupSession : IOnlineBackupSession
{
    private readonly ConnectedDatabase _database;
    private readonly PsqlConversation _psql;
    private readonly PostgresBackupFunctions _functions;
    private readonly TimeProvider _time;
    private readonly TimeSpan _stepLimit;
    private OnlineBackupRecord? _started;
    private bool _stopped;

    internal PostgresOnlineBackupSession(ConnectedDatabase database, PsqlConversation psql, int serverVersion, TimeProvider time, TimeSpan stepLimit)
    {
        _database = database;
        _psql = psql;
        ServerVersion = serverVersion;
        _functions = PostgresBackupFunctions.For(serverVersion) ?? throw new ArgumentOutOfRangeException(nameof(serverVersion), serverVersion, "no non-exclusive backups before 9.6");
        _time = time;
        _stepLimit = stepLimit;
    }

    /// <inheritdoc />
    public string RanIn => _psql.Where;

    /// <inheritdoc />
    public (string Namespace, string Name)? Pod => (_database.Executor as PodToolExecutor)?.Pod;

    /// <summary>The server's <c>server_version_num</c>, read when the session opened.</summary>
    public int ServerVersion { get; }

    /// <inheritdoc />
    /// <remarks>
    /// Refused (<see cref="DatabaseTargetException"/>) before the backup starts when the server does not archive its WAL:
    /// a snapshot taken inside an online backup is recovered with its <c>backup_label</c> by replaying the WAL from the
    /// start to the stop, and only the archive has that WAL — the snapshot's <c>pg_wal</c> ends where it was cut.
    /// Without archiving, <c>pg_backup_stop</c> only issues a NOTICE, and the restored server stops with
    /// <c>FATAL: WAL ends before end of online backup</c>; crash-consistent snapshots are better than that.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="label"/> is empty or holds a control character (a line break would split the <c>LABEL:</c> line of <c>backup_label</c>).</exception>
    public async Task<OnlineBackupRecord> StartAsync(string label, CancellationToken cancellationToken = default)
    {
        if (label.Length == 0 || label.Any(char.IsControl))
        {
            throw new ArgumentException("a backup label is one line of printable text", nameof(label));
        }

        await RequireArchivingAsync(cancellationToken);
        var rows = await _psql.AskAsync(_functions.StartFunction, _functions.Start(label), _stepLimit, cancellationToken);
        var startedAt = _time.GetUtcNow();
        var lsn = rows is [[var only]] && IsLsn(only) ? only : throw Unexpected(_functions.StartFunction, rows, "a start LSN");
        _started = new OnlineBackupRecord
        {
            Target = _database.Target.Qualified, Label = label, RanIn = RanIn, ServerVersion = ServerVersion, StartLsn = lsn, StartedAt = startedAt,
        };
        _stopped = false;
        return _started;
    }

    /// <inheritdoc />
    public async Task<OnlineBackupRecord> StopAsync(CancellationToken cancellationToken = default)
    {
        var started = _started is not null && !_stopped ? _started : throw new InvalidOperationException("no backup was started in this session, or it was stopped already");
        IReadOnlyList<string[]> rows;
        try
        {
            rows = await _psql.AskAsync(_functions.StopFunction, _functions.Stop(), _stepLimit, cancellationToken);
        }
        catch (DatabaseTargetException e)
        {
            throw new DatabaseTargetException($"{e.Message}: the backup did not stop in the session that started it, so the snapshots taken since {_functions.StartFunction} are not application-consistent", e);
        }

        var stoppedAt = _time.GetUtcNow();
        if (rows is not [[var lsn, var label, var map]] || !IsLsn(lsn) || Decode(label) is not { Length: > 0 } backupLabel || Decode(map) is not { } tablespaceMap)
        {
            throw Unexpected(_functions.StopFunction, rows, "a stop LSN, a backup_label and a tablespace_map");
        }

        _stopped = true;
        return started with
        {
            StopLsn = lsn, StoppedAt = stoppedAt, BackupLabel = backupLabel, TablespaceMap = tablespaceMap.Length == 0 ? null : tablespaceMap,
        };
    }

    /// <summary>
    /// The server archives its WAL: <c>archive_mode</c> is <c>always</c>, or <c>on</c> on a primary — a standby with
    /// <c>on</c> archives nothing (only <c>always</c> makes a standby archive).
    /// </summary>
    private async Task RequireArchivingAsync(CancellationToken cancellationToken)
    {
        const string step = "reading archive_mode";
        var rows = await _psql.AskAsync(step, "select current_setting('archive_mode'), pg_is_in_recovery();", _stepLimit, cancellationToken);
        if (rows is not [[var mode, var recovery and ("t" or "f")]])
        {
            throw Unexpected(step, rows, "archive_mode and whether the server is in recovery");
        }

        var why = mode switch
        {
            "always" => null,
            "on" when recovery == "t" => "the server is a standby, where archive_mode = on archives nothing (only 'always' does)",
            "on" => null,
            _ => $"archive_mode is {mode}",
        };
        if (why is not null)
        {
            throw new DatabaseTargetException($"database target {_database.Target.Qualified}: {why}: recovering a snapshot with its backup_label needs the WAL "
                + $"from {_functions.StartFunction} to {_functions.StopFunction} from the WAL archive; the snapshots are taken crash-consistent instead");
        }
    }

    /// <summary>Ends the session (<see cref="PsqlConversation.DisposeAsync"/>); a backup started and not stopped is aborted by the server.</summary>
    public ValueTask DisposeAsync() => _psql.DisposeAsync();

    private static bool IsLsn(string text) => text.Split('/') is [var high, var low]
        && high.Length is > 0 and <= 8 && low.Length is > 0 and <= 8 && (high + low).All(char.IsAsciiHexDigit);

    private static string? Decode(string hex)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private DatabaseTargetException Unexpected(string step, IReadOnlyList<string[]> rows, string expected)
    {
        var answer = string.Join(" | ", rows.Select(r => string.Join(' ', r)));
        return new DatabaseTargetException(string.Create(CultureInfo.InvariantCulture,
            $"database target {_database.Target.Qualified}: {step} in {RanIn} answered '{(answer.Length > 200 ? answer[..200] + "…" : answer)}', not {expected}"));
    }
}
