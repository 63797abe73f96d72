using Strata.Adapters.Commands;
using Strata.Core.Commands;
using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>
/// Rebuilds etcd snapshots on the runner's own host for the rebuild drill: <c>etcdutl snapshot restore</c> (etcd 3.5+;
/// <c>ETCDCTL_API=3 etcdctl snapshot restore</c> where only etcd 3.4's tools are installed) into a temporary data
/// directory, then <c>etcd</c> as a single member on free loopback ports (<see cref="LocalEtcdProcess"/>), reported ready once
/// <c>Maintenance.Status</c> answers through <paramref name="connector"/>. The tools are looked up on <paramref name="searchPath"/> (default: PATH,
/// then <c>/usr/bin</c> and <c>/usr/local/bin</c>, where Debian's <c>etcd-server</c> and <c>etcd-client</c> put them);
/// without them <see cref="Unavailable"/> says which is missing and the drill checks integrity only.
/// </summary>
/// <param name="connector">Reaches the rebuilt member (plaintext loopback).</param>
/// <param name="time">Measures the restore and the start, and paces the wait.</param>
/// <param name="searchPath">Folders to look for the tools in, separated by the platform's path separator; null: PATH and the Debian folders.</param>
/// <param name="workFolder">
/// Where data directories and snapshot files go; null: a new folder of its own under the system's temporary folder
/// (<c>strata-etcd-rehearsals-*</c>, readable by its owner only — a snapshot holds every Secret of the cluster), made on
/// first use, when such folders of rehearsals that died a day ago or more are swept.
/// </param>
public sealed class LocalEtcdRehearsals(IEtcdConnector connector, TimeProvider time, string? searchPath = null, string? workFolder = null) : IEtcdRehearsals
{
    private const int Attempts = 3;
    private static readonly string[] DebianFolders = ["/usr/bin", "/usr/local/bin"];

    private readonly string _searchPath = searchPath
        ?? string.Join(Path.PathSeparator, new[] { Environment.GetEnvironmentVariable("PATH") ?? "" }.Concat(DebianFolders));

    private const string FolderPrefix = "strata-etcd-rehearsals-";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);
    private readonly Lock _gate = new();
    private string? _workFolder = workFolder;
    private readonly LocalCommands _commands = new();
    private string? _toolVersion;

    /// <summary><c>etcdutl</c> (or <c>etcdctl</c>, etcd 3.4) as found; null when neither is.</summary>
    public string? RestoreProgram => Find("etcdutl") ?? Find("etcdctl");

    /// <summary><c>etcd</c> as found; null when it is not.</summary>
    public string? EtcdProgram => Find("etcd");

    /// <inheritdoc />
    public string? Unavailable => (RestoreProgram, EtcdProgram) switch
    {
        (null, null) => $"etcd and etcdutl (or etcdctl) are not on this runner (looked in {Searched})",
        (null, _) => $"neither etcdutl nor etcdctl is on this runner (looked in {Searched})",
        (_, null) => $"etcd is not on this runner (looked in {Searched})",
        _ => null,
    };

    private string Searched => string.Join(", ", Folders.Distinct(StringComparer.Ordinal));

    private IEnumerable<string> Folders => _searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc />
    public IEtcdSnapshotFile NewSnapshotFile() => new LocalSnapshotFile(Path.Combine(WorkFolder(), $"snapshot-{Guid.NewGuid():N}.db"));

    /// <inheritdoc />
    public async Task<IRehearsedEtcd> RebuildAsync(string snapshotFile, string name, CancellationToken cancellationToken = default)
    {
        if (Unavailable is { } why)
        {
            throw new EtcdRehearsalException(why);
        }

        var tool = await ToolVersionAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var directory = Path.Combine(WorkFolder(), $"{name}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(directory);
            var peer = Hosting.LoopbackPorts.Free();
            try
            {
                var restore = await RestoreAsync(snapshotFile, LocalEtcdProcess.DataDirectoryOf(directory), name, peer, cancellationToken);
                var process = await LocalEtcdProcess.StartAsync(EtcdProgram!, directory, name, connector, time, peer, cancellationToken);
                return new LocalRehearsedEtcd(process, tool, restore);
            }
            catch (EtcdRehearsalException e) when (attempt < Attempts && e.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                // Another program took a port between the pick and etcd's bind: the peer URL is in the restored data, so restore again.
                LocalEtcdProcess.Delete(directory);
            }
            catch
            {
                LocalEtcdProcess.Delete(directory);
                throw;
            }
        }
    }

    /// <summary>The work folder, made on first use (see the class's <c>workFolder</c>).</summary>
    private string WorkFolder()
    {
        lock (_gate)
        {
            if (_workFolder is null)
            {
                SweepStale();
                _workFolder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
            }

            if (!Directory.Exists(_workFolder))
            {
                // Gone (swept by another process while this one idled between drills): made again, owner-only.
                _ = OperatingSystem.IsWindows()
                    ? Directory.CreateDirectory(_workFolder)
                    : Directory.CreateDirectory(_workFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return _workFolder;
        }
    }

    /// <summary>
    /// Deletes the work folders of rehearsals whose process died without cleaning up (their etcd is gone: it lives at most
    /// <see cref="LocalEtcdProcess.MaxLifetime"/>), once they are a day old; a folder that cannot be deleted is left.
    /// </summary>
    private void SweepStale()
    {
        // File times are the system's, whatever clock the drills run on.
        var now = TimeProvider.System.GetUtcNow();
        foreach (var folder in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories(FolderPrefix + "*"))
        {
            try
            {
                if (now - folder.LastWriteTimeUtc > StaleAfter)
                {
                    folder.Delete(recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or in use: not ours to remove.
            }
        }
    }

    private async Task<TimeSpan> RestoreAsync(string snapshotFile, string dataDirectory, string name, int peer, CancellationToken cancellationToken)
    {
        var program = RestoreProgram!;
        var peerUrl = $"http://127.0.0.1:{peer}";
        var command = new HostCommand(
            [program, "snapshot", "restore", snapshotFile, "--data-dir", dataDirectory, "--name", name,
                "--initial-cluster", $"{name}={peerUrl}", "--initial-advertise-peer-urls", peerUrl],
            IsEtcdctl(program) ? new Dictionary<string, string> { ["ETCDCTL_API"] = "3" } : null);
        var start = time.GetTimestamp();
        var exit = await _commands.RunAsync(command, new CommandStreams(), cancellationToken);
        if (!exit.Succeeded)
        {
            throw new EtcdRehearsalException($"{Path.GetFileName(program)} snapshot restore failed: {ToolWords(exit)}");
        }

        return time.GetElapsedTime(start);
    }

    private async Task<string> ToolVersionAsync(CancellationToken cancellationToken)
    {
        if (_toolVersion is { } known)
        {
            return known;
        }

        var program = RestoreProgram!;
        var output = new MemoryStream();
        var exit = await _commands.RunAsync(new HostCommand([program, "version"]), new CommandStreams(Stdout: (s, ct) => s.CopyToAsync(output, ct)), cancellationToken);
        var first = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n').FirstOrDefault()?.Trim() ?? "";
        var version = first.Split("version:", 2) is [_, var v] && v.Trim().Length > 0 ? v.Trim() : null;
        return _toolVersion = $"{Path.GetFileName(program)} {(exit.Succeeded && version is not null ? version : "(version unknown)")}";
    }

    private string? Find(string program) =>
        Folders.Select(folder => Path.Combine(folder, program)).FirstOrDefault(File.Exists);

    private static bool IsEtcdctl(string program) => Path.GetFileName(program) == "etcdctl";

    /// <summary>The tool's own words: its <c>Error:</c> lines (etcdctl/etcdutl print the cause so), else its last line.</summary>
    private static string ToolWords(CommandExit exit)
    {
        var errors = exit.Stderr.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Error:", StringComparison.Ordinal)).ToList();
        return errors.Count > 0 ? string.Join("; ", errors) + $" (exit {exit.ExitCode})" : exit.Describe();
    }
}
