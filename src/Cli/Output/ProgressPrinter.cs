using Strata.Core.Backup;

namespace Strata.Cli.Output;

/// <summary>
/// Progress on standard error (so <c>--output json</c> stays clean): one line rewritten in place
/// on a terminal, a line at most every two seconds otherwise.
/// </summary>
internal sealed class ProgressPrinter(TextWriter error, bool terminal, TimeProvider time) : IProgress<BackupProgress>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval = terminal ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(2);
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private BackupProgress? _latest;
    private bool _finished;

    public void Report(BackupProgress value)
    {
        lock (_gate)
        {
            _latest = value;
            var now = time.GetUtcNow();
            if (_finished || (now - _last < _interval && value.ResourceTypesDone < value.ResourceTypesTotal))
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

    private void Write(BackupProgress p)
    {
        var line = $"backing up: {p.ResourceTypesDone}/{p.ResourceTypesTotal} resource types, {p.Objects:N0} objects, {Bytes.Format(p.Bytes)}";
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
