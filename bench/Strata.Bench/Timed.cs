using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Runs a command under /usr/bin/time: wall seconds, peak RSS, CPU seconds (user + system), standard output, exit code
/// (0 or 1; others throw). Variables given as <c>environment</c> are added to this process's own.
/// </summary>
internal sealed record Timed(double Seconds, double PeakRssMiB, double CpuSeconds, string Stdout, string Stderr, int ExitCode)
{
    public static async Task<Timed> RunAsync(string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var rssFile = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "%M %U %S", "-o", rssFile, command }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var output = await stdout;
        var usage = (await File.ReadAllTextAsync(rssFile)).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]
            .Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        File.Delete(rssFile);
        if (process.ExitCode is not 0 and not 1)
        {
            throw new InvalidOperationException($"{command} exited {process.ExitCode}: {await stderr}");
        }

        return new Timed(seconds, usage[0] / 1024.0, usage[1] + usage[2], output, await stderr, process.ExitCode);
    }
}
