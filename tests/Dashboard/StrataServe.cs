using System.Text;
using System.Text.RegularExpressions;
using Strata.Cli;
using Strata.TestKit;

namespace Strata.Dashboard.Tests;

/// <summary>
/// <c>strata serve</c> run in process over a <see cref="FleetWorld"/>'s strata.yaml, store and clock, on 127.0.0.1 and a
/// port the system picks (<c>--port 0</c>); its address read from the first line it prints, as its contract says:
/// <c>strata: serving http://ADDRESS:PORT/</c>. Disposing it cancels the command, as Ctrl-C does.
/// </summary>
public sealed partial class StrataServe : IAsyncDisposable
{
    /// <summary>What the first line starts with.</summary>
    public const string Announcement = "strata: serving ";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _run;
    private readonly CapturedWriter _error;

    private StrataServe(Uri url, CancellationTokenSource stop, Task<int> run, CapturedWriter error)
    {
        Url = url;
        _stop = stop;
        _run = run;
        _error = error;
    }

    /// <summary>The page's address (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri Url { get; }

    /// <summary>What the command wrote on standard error so far.</summary>
    public string Error => _error.Text;

    public static async Task<StrataServe> StartAsync(FleetWorld world)
    {
        var output = new CapturedWriter();
        var error = new CapturedWriter();
        var stop = new CancellationTokenSource();
        var environment = new CliEnvironment(output, error, world.Variable, false, world.Clock);
        string[] args = ["serve", "--config", world.ConfigPath, "--store", world.Store, "--address", "127.0.0.1", "--port", "0"];
        var run = Task.Run(() => StrataCli.RunAsync(args, environment, stop.Token));
        var first = await Task.WhenAny(output.FirstLine, run, Task.Delay(StartTimeout));
        if (first != output.FirstLine)
        {
            await stop.CancelAsync();
            var how = first == run ? $"exited {await run} before it printed a line" : $"printed no line in {StartTimeout.TotalSeconds:0} s";
            throw new InvalidOperationException($"strata {string.Join(' ', args)} {how}; standard error: {error.Text}");
        }

        var line = await output.FirstLine;
        return new StrataServe(ParseAnnouncement(line), stop, run, error);
    }

    /// <summary>The address in <c>strata: serving http://ADDRESS:PORT/</c>; anything else fails, quoting the line.</summary>
    public static Uri ParseAnnouncement(string line) =>
        AnnouncementLine().Match(line) is { Success: true } match
            ? new Uri(match.Groups["url"].Value)
            : throw new FormatException($"strata serve's first line should be '{Announcement}http://ADDRESS:PORT/', not '{line}'");

    [GeneratedRegex(@"^strata: serving (?<url>http://[^/\s]+:[0-9]+/)$")]
    private static partial Regex AnnouncementLine();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>A standard stream that keeps what is written, from any thread, and completes <see cref="FirstLine"/> with its first line.</summary>
    private sealed class CapturedWriter : TextWriter
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _text = new();
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstLine => _first.Task;

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return _text.ToString();
                }
            }
        }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_gate)
            {
                _text.Append(value);
                if (value == '\n' && !_first.Task.IsCompleted)
                {
                    _first.TrySetResult(_text.ToString().TrimEnd('\r', '\n'));
                }
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? "")
            {
                Write(c);
            }
        }
    }
}
