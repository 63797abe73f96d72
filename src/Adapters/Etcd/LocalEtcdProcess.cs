using System.ComponentModel;
using System.Diagnostics;
using Strata.Adapters.Commands;
using Strata.Adapters.Hosting;
using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>
/// A throwaway single-member etcd on this host: <c>etcd</c> started on the data directory <c>data</c> of its own folder,
/// listening on free loopback ports (plaintext), ready once <c>Maintenance.Status</c> answers through an
/// <see cref="IEtcdConnector"/>. Its log is drained into a bounded tail, so a chatty member never blocks on a full
/// pipe. Disposing kills the process tree and deletes the folder. The rebuild drill starts one on a restored data
/// directory (<see cref="LocalEtcdRehearsals"/>); <c>strata demo</c> starts a new one to stand in for a control plane's.
/// Never for a real cluster's data.
/// </summary>
public sealed class LocalEtcdProcess : IAsyncDisposable
{
    /// <summary>How long etcd may take from its start to its first answer.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest a throwaway member lives: it runs under <c>timeout --signal=KILL</c>, so one whose caller died
    /// before disposing it (a killed worker, a crashed drill) does not serve its data on loopback for ever.
    /// </summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(2);

    private static readonly string? Timeout = new[] { "/usr/bin/timeout", "/bin/timeout" }.FirstOrDefault(File.Exists);

    private const int Attempts = 3;
    private readonly Process _process;
    private readonly StderrTail _log = new(16 * 1024);
    private readonly Task _draining;
    private readonly Lock _gate = new();
    private int _disposed;
    private int? _exitCode;

    private LocalEtcdProcess(Process process, string folder, string name, int clientPort, int peerPort)
    {
        _process = process;
        Folder = folder;
        Name = name;
        Endpoint = new Uri($"http://127.0.0.1:{clientPort}");
        PeerUrl = new Uri($"http://127.0.0.1:{peerPort}");
        Access = new EtcdAccess { Endpoints = [Endpoint], DialTimeout = TimeSpan.FromSeconds(2) };
        process.StandardInput.Close();
        _draining = Task.WhenAll(DrainAsync(process.StandardError.BaseStream), DrainAsync(process.StandardOutput.BaseStream));
    }

    /// <summary>The member's name (<c>--name</c>).</summary>
    public string Name { get; }

    /// <summary>Its client URL, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Its peer URL, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri PeerUrl { get; }

    /// <summary>How Strata reaches it: <see cref="Endpoint"/>, plaintext.</summary>
    public EtcdAccess Access { get; }

    /// <summary>Its folder (deleted on disposal).</summary>
    public string Folder { get; }

    /// <summary>Its data directory: <c>data</c> in <see cref="Folder"/>.</summary>
    public string DataDirectory => DataDirectoryOf(Folder);

    /// <summary>How long it took from its start to its first answer.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>Whether etcd has exited (it has, once disposed).</summary>
    public bool HasExited => _exitCode is not null || _process.HasExited;

    /// <summary>Its exit code, once it has exited.</summary>
    public int? ExitCode => _exitCode ?? (_process.HasExited ? _process.ExitCode : null);

    /// <summary>The tail of what it logged.</summary>
    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The data directory of a process started in <paramref name="folder"/>: where a restore puts the member's data before <see cref="StartAsync"/>.</summary>
    public static string DataDirectoryOf(string folder) => Path.Combine(folder, "data");

    /// <summary>
    /// Starts <paramref name="program"/> (<c>etcd</c>) as the member <paramref name="name"/> in <paramref name="folder"/>
    /// (created if absent; owned from now on: deleted on disposal, or when the start fails) and returns once it answers.
    /// Without <paramref name="peerPort"/> the member is new: both ports are picked free, and a port another program took
    /// before etcd bound it is picked again, on a fresh data directory. With it, the data directory holds a member already
    /// (restored with that peer URL), so only the client port is picked and a taken port fails the start.
    /// Throws <see cref="EtcdRehearsalException"/> with etcd's own words when it cannot start or does not answer
    /// within <see cref="StartTimeout"/>.
    /// </summary>
    public static async Task<LocalEtcdProcess> StartAsync(
        string program, string folder, string name, IEtcdConnector connector, TimeProvider time, int? peerPort = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(time);
        for (var attempt = 1; ; attempt++)
        {
            Directory.CreateDirectory(folder);
            // Two distinct ports, so the client port is never the peer port asked for either.
            var ports = LoopbackPorts.Free(2);
            var (client, peer) = (ports[0] == peerPort ? ports[1] : ports[0], peerPort ?? ports[1]);
            var started = time.GetTimestamp();
            LocalEtcdProcess process;
            try
            {
                process = new LocalEtcdProcess(Launch(program, DataDirectoryOf(folder), name, client, peer), folder, name, client, peer);
            }
            catch
            {
                Delete(folder);
                throw;
            }

            try
            {
                await process.WaitUntilAnsweringAsync(connector, time, cancellationToken);
                process.StartDuration = time.GetElapsedTime(started);
                return process;
            }
            catch (EtcdRehearsalException e) when (peerPort is null && attempt < Attempts && e.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                // Another program took a port between the pick and etcd's bind: a new member, so start again on new ports.
                await process.DisposeAsync();
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Deletes <paramref name="folder"/> and everything in it, if it is there.</summary>
    public static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }

        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                throw new EtcdRehearsalException($"etcd (process {_process.Id}) did not exit within 30 s of being killed; its folder {Folder} is left");
            }
        }

        await _draining;
        _exitCode = _process.ExitCode;
        _process.Dispose();
        Delete(Folder);
    }

    private static Process Launch(string program, string dataDirectory, string name, int client, int peer)
    {
        var clientUrl = $"http://127.0.0.1:{client}";
        var peerUrl = $"http://127.0.0.1:{peer}";
        var start = new ProcessStartInfo(Timeout ?? program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Timeout is not null)
        {
            foreach (var argument in new[] { "--signal=KILL", $"{(int)MaxLifetime.TotalSeconds}s", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in new[]
        {
            "--data-dir", dataDirectory, "--name", name,
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"{name}={peerUrl}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The member's identity is in the arguments (or in the restored data); nothing of the host's ETCD_* settings may change it.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("ETCD_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        try
        {
            return Process.Start(start) ?? throw new EtcdRehearsalException($"{program} did not start");
        }
        catch (Win32Exception e)
        {
            throw new EtcdRehearsalException($"{program} could not be started: {e.Message}", e);
        }
    }

    private async Task WaitUntilAnsweringAsync(IEtcdConnector connector, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await using var endpoints = await connector.ConnectAsync(Access, cancellationToken);
        while (true)
        {
            if (HasExited)
            {
                throw new EtcdRehearsalException($"etcd exited ({ExitCode}) before it answered: {LastWords(await LogAfterExitAsync())}");
            }

            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                call.CancelAfter(TimeSpan.FromSeconds(2));
                await endpoints.Members[0].StatusAsync(call.Token);
                if (HasExited || !(await endpoints.Members[0].MemberListAsync(call.Token)).Any(m => m.Name == Name))
                {
                    // Another etcd answered on the port this one lost: never count its keys as the rebuilt snapshot's.
                    throw new EtcdRehearsalException(HasExited
                        ? $"etcd exited ({ExitCode}) before it answered, and another etcd answers on {Endpoint}: {LastWords(await LogAfterExitAsync())}"
                        : $"an etcd without member {Name} answers on {Endpoint}: another program took the port");
                }

                return;
            }
            catch (Exception e) when (e is EtcdRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (time.GetElapsedTime(started) > StartTimeout)
                {
                    throw new EtcdRehearsalException($"etcd did not answer within {StartTimeout.TotalSeconds:0} s: {e.Message}; its log ends: {LastWords(Log)}");
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    /// <summary>The log once the readers have what the exited process wrote last (its "address already in use" is what a retry looks for).</summary>
    private async Task<string> LogAfterExitAsync()
    {
        await _draining.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        return Log;
    }

    /// <summary>The last few lines of etcd's log, for a start that failed.</summary>
    private static string LastWords(string log)
    {
        var lines = log.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.Count == 0 ? "(it wrote nothing)" : string.Join(" | ", lines.TakeLast(3));
    }

    private async Task DrainAsync(Stream stream)
    {
        var buffer = new byte[4096];
        int read;
        try
        {
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                lock (_gate)
                {
                    _log.Add(buffer.AsSpan(0, read));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process went away mid-read.
        }
    }
}
