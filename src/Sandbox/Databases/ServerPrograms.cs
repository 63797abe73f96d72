using System.Diagnostics;

namespace Strata.Sandbox.Databases;

/// <summary>
/// Runs the database servers' own programs (initdb, pg_ctl, mariadb-install-db) for throwaway servers (the test
/// fixtures, <c>strata demo</c>, the benchmarks). Run as root, a program that refuses root (initdb, postgres) runs as
/// its service's OS user through <c>runuser</c>.
/// </summary>
public static class ServerPrograms
{
    /// <summary>Whether the tests run as root (CI does), so servers run as their OS users.</summary>
    public static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The first of <paramref name="candidates"/> (paths, or names looked up on PATH) that exists.</summary>
    public static string? Find(params string[] candidates)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var candidate in candidates)
        {
            if (candidate.Contains('/'))
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                continue;
            }

            foreach (var folder in path.Append("/usr/sbin").Append("/usr/bin"))
            {
                var full = Path.Combine(folder, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        return null;
    }

    /// <summary>A new empty folder the OS user <paramref name="owner"/> owns when running as root (under /tmp, which every user can reach).</summary>
    public static async Task<string> CreateFolderAsync(string prefix, string? owner)
    {
        var parent = RunningAsRoot ? "/tmp" : Path.GetTempPath();
        var folder = Directory.CreateDirectory(Path.Combine(parent, prefix + Guid.NewGuid().ToString("N")[..10])).FullName;
        if (RunningAsRoot && owner is not null)
        {
            await RunCheckedAsync("chown", [$"{owner}:", folder]);
        }

        return folder;
    }

    /// <summary>Runs a program to its end; as <paramref name="runAs"/> when running as root. Returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IReadOnlyList<string> arguments, string? runAs = null, CancellationToken cancellationToken = default)
    {
        var start = RunningAsRoot && runAs is not null
            ? new ProcessStartInfo(Find("runuser") ?? throw new InvalidOperationException("running as root needs runuser (util-linux) to start database servers as their OS user"))
            : new ProcessStartInfo(program);
        if (RunningAsRoot && runAs is not null)
        {
            foreach (var argument in new[] { "-u", runAs, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = "/";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await output + await errors).Trim());
    }

    /// <summary>Runs a program and throws with its output when it fails.</summary>
    public static async Task<string> RunCheckedAsync(string program, IReadOnlyList<string> arguments, string? runAs = null, CancellationToken cancellationToken = default)
    {
        var (exitCode, output) = await RunAsync(program, arguments, runAs, cancellationToken);
        return exitCode == 0 ? output
            : throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {exitCode}: {output}");
    }

    /// <summary>Deletes a fixture's folder, whoever owns what is in it.</summary>
    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
