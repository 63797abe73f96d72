using System.Diagnostics;
using Xunit;

namespace Strata.TestKit;

/// <summary>
/// tools/decrypt/strata_decrypt.py run as a user runs it (Debian's python3 with python3-cryptography, which .ci/run
/// installs; without it the tests that use this fail, never skip), and the file trees it and <c>strata decrypt</c> write.
/// </summary>
public static class StrataDecryptScript
{
    /// <summary>The interpreter: the system's, where Debian's python3-cryptography lands.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs the script with <paramref name="arguments"/>; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Python), $"{Python} is needed to check strata decrypt against tools/decrypt/strata_decrypt.py (.ci/run installs python3-cryptography)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "tools", "decrypt", "strata_decrypt.py"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Every file under <paramref name="root"/>, by its '/'-separated relative path, with its bytes.</summary>
    public static SortedDictionary<string, byte[]> Tree(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes),
        StringComparer.Ordinal);
}
