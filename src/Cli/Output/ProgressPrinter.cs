using Strata.Core.Backup;
using Strata.Core.Drills;
using Strata.Core.Restore;

namespace Strata.Cli.Output;

/// <summary>
/// Progress on standard error (so <c>--output json</c> stays clean): one line rewritten in place
/// on a terminal, a line at most every two seconds otherwise; a final report is always shown.
/// </summary>
internal sealed class ProgressPrinter<T>(TextWriter error, bool terminal, TimeProvider time, Func<T, string> format, Func<T, bool> isFinal)
    : IProgress<T>, IDisposable
    where T : class
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval = terminal ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(2);
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private T? _latest;
    private bool _finished;

    public void Report(T value)
    {
        lock (_gate)
        {
            _latest = value;
            var now = time.GetUtcNow();
            if (_finished || (now - _last < _interval && !isFinal(value)))
            {
                return;
            }

            _last = now;
            Write(value);
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            if (terminal && _latest is not null)
            {
                error.WriteLine();
            }
        }
    }

    public void Dispose() => Finish();

    private void Write(T value)
    {
        var line = format(value);
        if (terminal)
        {
            error.Write("\r" + line.PadRight(78));
        }
        else
        {
            error.WriteLine(line);
        }
    }
}

/// <summary>The progress lines of each command.</summary>
internal static class Progress
{
    public static ProgressPrinter<BackupProgress> ForBackup(CliEnvironment environment) => new(
        environment.Error, environment.ErrorIsTerminal, environment.Time,
        p => p.Layer is { } layer
            ? $"backing up {layer}: {p.Current}" + (p.Bytes > 0 ? $", {Bytes.Format(p.Bytes)}" : "")
            : $"backing up: {p.ResourceTypesDone}/{p.ResourceTypesTotal} resource types, {p.Objects:N0} objects, {Bytes.Format(p.Bytes)}",
        p => p.Layer is null && p.ResourceTypesDone == p.ResourceTypesTotal);

    public static ProgressPrinter<RestoreProgress> ForRestore(CliEnvironment environment) => new(
        environment.Error, environment.ErrorIsTerminal, environment.Time,
        p => p.Total == 0
            ? $"restoring: {p.Phase}, {p.Done:N0} objects read"
            : $"restoring: {p.Phase}{(p.Tier is null ? string.Empty : $" ({p.Tier})")}, {p.Done:N0}/{p.Total:N0} objects",
        p => p.Phase == "done");

    public static ProgressPrinter<DrillProgress> ForDrill(CliEnvironment environment) => new(
        environment.Error, environment.ErrorIsTerminal, environment.Time,
        p => p.Phase switch
        {
            "restoring" => $"drill: {p.Elapsed.TotalSeconds:0.0} s, restoring{(p.Detail is null ? "" : $" ({p.Detail})")}" + (p.Total > 0 ? $", {p.Done:N0}/{p.Total:N0} objects" : $", {p.Done:N0} objects read"),
            "waiting" => $"drill: {p.Elapsed.TotalSeconds:0.0} s, {p.Done}/{p.Total} assertions hold" + (p.Detail is null ? "" : $"; waiting for {p.Detail}"),
            _ => $"drill: {p.Elapsed.TotalSeconds:0.0} s, {p.Phase}",
        },
        p => p.Phase == "done");
}

internal static class Bytes
{
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };
}
