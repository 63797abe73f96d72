using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Strata.Core.Commands;
using Strata.Core.Configuration;

namespace Strata.Core.Databases;

/// <summary>
/// One long-lived <c>psql</c> (<see cref="PostgresTools.Session"/>), wherever the target's tools run, spoken to one step at a
/// time: Strata writes a step's statements into its stdin (a pipe it keeps open) followed by <c>\echo</c> of a marker unique
/// to the step, and reads stdout line by line up to that marker — the step's rows. psql flushes stdout before it reads each
/// line of input (<c>MainLoop</c>), so a step's answer arrives while stdin stays open, on a pipe as on a terminal. A server
/// error ends psql (<c>ON_ERROR_STOP</c>), and with it the session: the step fails with the server's own words.
/// </summary>
public sealed class PsqlConversation : IAsyncDisposable
{
    /// <summary>How long <see cref="DisposeAsync"/> waits for psql to leave after <c>\q</c> before it ends the run.</summary>
    public static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(10);

    /// <summary>How long a step waits beyond its limit, at most, for the server to cancel the statement itself (and say so).</summary>
    private static readonly TimeSpan ServerGrace = TimeSpan.FromSeconds(10);

    private readonly ConnectedDatabase _database;
    private readonly TimeProvider _time;
    private readonly Pipe _stdin = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _lifetime;
    private readonly TimeSpan? _limit;
    private readonly string _nonce = NewNonce();
    private readonly Task<CommandExit> _running;
    private int _steps;
    private int _busy;
    private DatabaseTargetException? _failure;
    private bool _disposed;

    private PsqlConversation(ConnectedDatabase database, DatabaseCommand command, TimeProvider time)
    {
        _database = database;
        _time = time;
        _limit = command.TimeLimit;
        _lifetime = command.TimeLimit is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        _running = RunAsync(command);
    }

    /// <summary>Where psql runs: <c>pod shop/postgres-0 (container postgres)</c>, <c>this host</c>.</summary>
    public string Where => _database.Executor.Where;

    /// <summary>The failure that ended the session, once one has; every later step fails with it.</summary>
    public DatabaseTargetException? Failure => _failure;

    /// <summary>
    /// Starts <paramref name="command"/> (a <see cref="PostgresTools.Session"/>) through <paramref name="database"/>'s executor.
    /// It runs until disposed, or for <see cref="DatabaseCommand.TimeLimit"/> at most; nothing is asked of it yet.
    /// </summary>
    public static PsqlConversation Start(ConnectedDatabase database, DatabaseCommand command, TimeProvider time) => new(database, command, time);

    /// <summary>
    /// Runs <paramref name="sql"/> (one or more statements, each ended by <c>;</c>) and returns the rows it printed, each split at
    /// tabs. <paramref name="limit"/> bounds the step; <paramref name="step"/> names it in messages (<c>pg_backup_start</c>).
    /// Throws <see cref="DatabaseTargetException"/> — target, step, where, and the server's message, never the password — when
    /// the server refuses, psql ends, the stream ends, or no answer comes in time; the session is over then.
    /// </summary>
    public async Task<IReadOnlyList<string[]>> AskAsync(string step, string sql, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException("a psql session runs one step at a time");
        }

        try
        {
            if (_failure is { } failed)
            {
                throw new DatabaseTargetException(failed.Message, failed);
            }

            var endedBefore = _lines.Reader.Completion.IsCompleted;
            var marker = $"strata-step-{_nonce}-{++_steps}";
            await WriteAsync($"{sql}\n\\echo {marker}\n", cancellationToken);
            return await ReadUntilAsync(marker, endedBefore ? $"the session in {Where} ended before {step}" : $"{step} in {Where} failed", step, limit, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Ends the session: <c>\q</c>, stdin closed, psql waited for (<see cref="QuitGrace"/>), then ended if it has not left.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            // \q ends psql wherever it runs, even where the exec protocol cannot close stdin (v4.channel.k8s.io).
            await WriteAsync("\\q\n", CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // The writer is already completed.
        }

        await _stdin.Writer.CompleteAsync();
        try
        {
            await _running.WaitAsync(QuitGrace, _time);
        }
        catch (TimeoutException)
        {
            await _lifetime.CancelAsync();
        }
        catch (Exception)
        {
            // Ended otherwise (cancelled, the stream failed): awaited below.
        }

        try
        {
            await _running;
        }
        catch (Exception)
        {
            // Ended by the time limit or by this dispose; how it ended was reported by the step that saw it, if any did.
        }

        _lifetime.Dispose();
    }

    private async Task<CommandExit> RunAsync(DatabaseCommand command)
    {
        await Task.Yield(); // the constructor returns before the executor starts the program
        try
        {
            return await _database.Executor.RunAsync(command, new CommandStreams(_stdin.Reader.AsStream(), ReadLinesAsync, StderrLimit: 8 * 1024), _lifetime.Token);
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    private async Task ReadLinesAsync(Stream stdout, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stdout, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            _lines.Writer.TryWrite(line.TrimEnd('\r'));
        }

        _lines.Writer.TryComplete();
    }

    private async Task WriteAsync(string text, CancellationToken cancellationToken) =>
        await _stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    private async Task<IReadOnlyList<string[]>> ReadUntilAsync(string marker, string failed, string step, TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = limit + (limit < ServerGrace ? limit : ServerGrace);
        using var deadline = new CancellationTokenSource(waited, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var rows = new List<string[]>();
        try
        {
            while (await _lines.Reader.WaitToReadAsync(linked.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (line == marker)
                    {
                        return rows;
                    }

                    rows.Add(line.Split('\t'));
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw await FailAsync($"{step} in {Where} did not answer within {DurationText.Format(waited)}; the session is ended");
        }
        catch (OperationCanceledException)
        {
            await FailAsync($"{step} in {Where} was cancelled; the session is ended");
            throw;
        }

        // Stdout ended before the marker: psql left (a server error under ON_ERROR_STOP, a lost connection) or the stream dropped.
        return await EndedAsync(failed);
    }

    private async Task<IReadOnlyList<string[]>> EndedAsync(string failed)
    {
        string reason;
        try
        {
            reason = Reason(await _running.WaitAsync(QuitGrace, _time));
        }
        catch (TimeoutException)
        {
            reason = "psql's output ended and it did not exit";
        }
        catch (Exception) when (_lifetime.IsCancellationRequested && _failure is null)
        {
            reason = $"the session reached its time limit ({DurationText.Format(_limit ?? TimeSpan.Zero)})";
        }
        catch (Exception e)
        {
            reason = e.Message;
        }

        throw await FailAsync($"{failed}: {reason}");
    }

    private async Task<DatabaseTargetException> FailAsync(string what)
    {
        var message = $"database target {_database.Target.Qualified}: {what}";
        if (_database.Password is { Length: > 0 } password)
        {
            message = message.Replace(password, "***", StringComparison.Ordinal); // psql never prints it; kept out regardless
        }

        _failure ??= new DatabaseTargetException(message);
        await _lifetime.CancelAsync(); // a session in an unknown state is ended: the server aborts what it had started
        return _failure;
    }

    /// <summary>The server's (or libpq's) own line from psql's stderr — <c>ERROR: …</c>, <c>FATAL: …</c> — else how psql ended.</summary>
    internal static string Reason(CommandExit exit)
    {
        foreach (var raw in exit.Stderr.Split('\n'))
        {
            var line = raw.Trim();
            var at = IndexOfSeverity(line);
            if (at >= 0)
            {
                return line[at..].Replace(":  ", ": ", StringComparison.Ordinal);
            }
        }

        return exit switch
        {
            { ProgramMissing: true } => $"psql is not installed ({exit.Describe()})",
            { ExitCode: null } => exit.Describe(),
            _ => $"psql {exit.Describe()}",
        };
    }

    private static int IndexOfSeverity(string line)
    {
        foreach (var severity in (string[])["ERROR:", "FATAL:", "PANIC:", "psql: error:"])
        {
            var at = line.IndexOf(severity, StringComparison.Ordinal);
            if (at >= 0)
            {
                return severity.StartsWith("psql", StringComparison.Ordinal) ? at + "psql: ".Length : at;
            }
        }

        return -1;
    }

    /// <summary>16 hex digits no dump or query output will contain by chance, marking where each step's output ends.</summary>
    private static string NewNonce()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
