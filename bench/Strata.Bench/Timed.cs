using System.Diagnostics;
using System.Globalization;

/// <summary>Runs a command under /usr/bin/time: wall seconds, peak RSS, standard output, exit code (0 or 1; others throw).</summary>
internal sealed record Timed(double Seconds, double PeakRssMiB, string Stdout, string Stderr, int ExitCode)
{
    public static async Task<Timed> RunAsync(string command, IEnumerable<string> arguments)
    {
        var rssFile = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "%M", "-o", rssFile, command }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var output = await stdout;
        var rssLines = (await File.ReadAllTextAsync(rssFile)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        File.Delete(rssFile);
        if (process.ExitCode is not 0 and not 1)
        {
            throw new InvalidOperationException($"{command} exited {process.ExitCode}: {await stderr}");
        }

        return new Timed(seconds, double.Parse(rssLines[^1], CultureInfo.InvariantCulture) / 1024.0, output, await stderr, process.ExitCode);
    }
}
