using System.IO.Pipelines;
using System.Text;
using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.Core.Tests.Databases;

/// <summary>What <see cref="ScriptedPsql"/> does with one statement line.</summary>
/// <param name="Output">What it prints to stdout (rows, each ended by a line break).</param>
/// <param name="Error">A server error: psql prints it to stderr and exits 3, as under <c>ON_ERROR_STOP</c>.</param>
/// <param name="Hangs">The statement never finishes.</param>
internal sealed record PsqlAnswer(string Output = "", string? Error = null, bool Hangs = false);

/// <summary>
/// An interactive <c>psql</c> on this "host" that reads stdin line by line as psql does: <c>\echo</c> prints its text, <c>\q</c>
/// ends it, the end of stdin ends it, and every other line is a statement answered by <see cref="Answer"/>.
/// </summary>
internal sealed class ScriptedPsql : IHostCommands
{
    public Func<string, PsqlAnswer> Answer { get; set; } = _ => new PsqlAnswer();

    public List<HostCommand> Commands { get; } = [];

    public List<string> Statements { get; } = [];

    public async Task<CommandExit> RunAsync(HostCommand command, CommandStreams streams, CancellationToken cancellationToken = default)
    {
        Commands.Add(command);
        var stdout = new Pipe();
        var consuming = streams.Stdout!(stdout.Reader.AsStream(), cancellationToken);
        CommandExit exit;
        try
        {
            exit = await ConverseAsync(streams.Stdin!, stdout.Writer, cancellationToken);
        }
        finally
        {
            await stdout.Writer.CompleteAsync();
        }

        await consuming;
        return exit;
    }

    private async Task<CommandExit> ConverseAsync(Stream stdin, PipeWriter stdout, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stdin, Encoding.UTF8);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line == "\\q")
            {
                return new CommandExit(0, "");
            }

            var answer = line.StartsWith("\\echo ", StringComparison.Ordinal) ? new PsqlAnswer(line["\\echo ".Length..] + "\n") : Statement(line);
            if (answer.Hangs)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (answer.Error is { } error)
            {
                return new CommandExit(3, $"psql:<stdin>:{number}: {error}\n");
            }

            await stdout.WriteAsync(Encoding.UTF8.GetBytes(answer.Output), cancellationToken);
        }

        return new CommandExit(0, "");
    }

    private PsqlAnswer Statement(string line)
    {
        Statements.Add(line);
        return Answer(line);
    }
}
