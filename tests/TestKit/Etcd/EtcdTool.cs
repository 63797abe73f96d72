using System.Diagnostics;

namespace Strata.TestKit.Etcd;

/// <summary>
/// etcd's programs on this machine: <c>etcd</c>, <c>etcdctl</c> and, from etcd 3.5, <c>etcdutl</c> (Debian's
/// <c>etcd-server</c> and <c>etcd-client</c>), found on PATH or in /usr/bin and /usr/local/bin. A test that needs
/// one fails with <see cref="Require"/>'s message when it is missing; it never skips.
/// </summary>
public static class EtcdTool
{
    /// <summary>What a test says when the programs are missing.</summary>
    public const string NotInstalled = "etcd-server/etcd-client are not installed: .ci/run installs them (apt-get install etcd-server etcd-client)";

    private static readonly string[] FallbackFolders = ["/usr/bin", "/usr/local/bin", "/usr/sbin"];

    /// <summary>The path of <paramref name="name"/> (<c>etcd</c>, <c>etcdctl</c>, <c>etcdutl</c>), or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(FallbackFolders)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The path of <paramref name="name"/>; <see cref="InvalidOperationException"/> with <see cref="NotInstalled"/> when it is missing.</summary>
    public static string Require(string name) =>
        Find(name) ?? throw new InvalidOperationException($"{NotInstalled}; '{name}' is not on PATH");

    /// <summary>The server.</summary>
    public static string Etcd => Require("etcd");

    /// <summary>The client (<c>ETCDCTL_API=3</c>).</summary>
    public static string Etcdctl => Require("etcdctl");

    /// <summary>The offline tool of etcd 3.5 and later; null on 3.4, where <c>etcdctl snapshot</c> does its work.</summary>
    public static string? Etcdutl => Find("etcdutl");

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/> (and <c>ETCDCTL_API=3</c>); its exit code,
    /// standard output and standard error.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ETCDCTL_API"] = "3";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>
    /// <c>snapshot status FILE -w json</c> (etcdutl where installed, else <c>etcdctl</c>): the JSON, e.g.
    /// <c>{"hash":…,"revision":…,"totalKey":…,"totalSize":…}</c>; <see cref="InvalidOperationException"/> with its error output when it fails.
    /// </summary>
    public static async Task<string> SnapshotStatusAsync(string file, CancellationToken cancellationToken = default)
    {
        var (exitCode, output, errors) = await RunAsync(Etcdutl ?? Etcdctl, ["snapshot", "status", file, "-w", "json"], cancellationToken);
        return exitCode == 0 ? output : throw new InvalidOperationException($"snapshot status {file} exited with {exitCode}: {errors}");
    }
}
