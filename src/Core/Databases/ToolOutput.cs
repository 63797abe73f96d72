using System.Text;
using Strata.Core.Commands;

namespace Strata.Core.Databases;

/// <summary>Runs a command whose output is small (a query's answer) and returns it as text, bounded.</summary>
public static class ToolOutput
{
    /// <summary>The most output kept.</summary>
    public const int Limit = 4 << 20;

    /// <summary>Runs <paramref name="command"/> and returns how it ended with its stdout (the first <see cref="Limit"/> bytes).</summary>
    public static async Task<(CommandExit Exit, string Output)> RunAsync(IToolExecutor executor, DatabaseCommand command, CancellationToken cancellationToken = default)
    {
        var output = new MemoryStream();
        var exit = await executor.RunAsync(command, new CommandStreams(Stdout: async (stdout, ct) =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await stdout.ReadAsync(buffer, ct)) > 0)
            {
                if (output.Length < Limit)
                {
                    output.Write(buffer, 0, (int)Math.Min(read, Limit - output.Length));
                }
            }
        }), cancellationToken);
        return (exit, Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length));
    }
}
