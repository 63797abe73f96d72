using System.Diagnostics;
using System.Reflection;
using Strata.TestKit;

namespace Strata.Infra.Tests;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (restored with the test project; the build
/// records its path). Missing, it fails the test with where it was looked for: it is part of the build, not optional.
/// </summary>
internal static class Bicep
{
    /// <summary>The repository's infra folder.</summary>
    public static string InfraFolder { get; } = Path.Combine(Repository.Root, "infra");

    /// <summary>The bicep executable, made executable if restore left it without the bit.</summary>
    public static string Executable { get; } = Locate();

    /// <summary>Runs bicep with <paramref name="arguments"/>; its diagnostics go to stderr, so both streams are kept.</summary>
    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new BicepRun(process.ExitCode, await output, await error);
    }

    /// <summary>The lines of <paramref name="text"/> that report a warning or an error.</summary>
    public static IReadOnlyList<string> Diagnostics(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains("Warning", StringComparison.Ordinal) || line.Contains("Error", StringComparison.Ordinal))
            .ToList();

    private static string Locate()
    {
        var path = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepExecutable")?.Value;
        Assert.False(string.IsNullOrEmpty(path), "the test assembly does not say where the Bicep CLI is (AssemblyMetadata BicepExecutable in Infra.Tests.csproj)");
        Assert.True(File.Exists(path), $"the Bicep CLI is not at {path}: restore tests/Infra (package Azure.Bicep.CommandLine.linux-x64)");
        if (!OperatingSystem.IsLinux())
        {
            throw new Xunit.Sdk.XunitException("the Bicep CLI package referenced is the linux-x64 one: run these tests on Linux");
        }

        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }
}

/// <summary>One run of the Bicep CLI.</summary>
internal sealed record BicepRun(int ExitCode, string Output, string Error)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string All => Output + Error;
}
