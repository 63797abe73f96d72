using System.Diagnostics;
using Strata.Sandbox.Databases;

namespace Strata.TestKit.Databases;

/// <summary>The database clients the fixtures run themselves (servers' own programs run through <see cref="ServerPrograms"/>).</summary>
public static class DatabaseTool
{
    /// <summary>
    /// Runs a client program (pg_dump, mariadb-dump) as the current user with <paramref name="environment"/> added,
    /// and <paramref name="input"/> (if any) as its standard input, and returns its exit code, its standard output
    /// as bytes and its standard error.
    /// </summary>
    public static async Task<(int ExitCode, byte[] Output, string Errors)> CaptureAsync(
        string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, byte[]? input = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(input, cancellationToken);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync(cancellationToken);
        await copy;
        return (process.ExitCode, output.ToArray(), await errors);
    }

}
