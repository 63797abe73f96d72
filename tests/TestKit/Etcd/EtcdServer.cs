using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Strata.Adapters.Etcd;
using Strata.Adapters.Hosting;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;

namespace Strata.TestKit.Etcd;

/// <summary>
/// A throwaway etcd member (the installed <c>etcd</c>, 3.4 here) on free loopback ports, its data in a temporary
/// folder (on /dev/shm where there is one: fsync is what makes a real etcd slow, and these are tests). Alone
/// (<see cref="StartAsync"/>) or one of an <see cref="EtcdCluster"/>. With TLS, clients must present a certificate
/// of <see cref="Certificates"/>' CA. Disposing kills it and deletes its folder.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private const int Attempts = 4;

    private readonly Process _process;
    private readonly EtcdLogTail _log = new();
    private readonly Task _reading;
    private readonly EtcdMemberPlan _plan;
    private bool _ownsCertificates;

    private EtcdServer(EtcdMemberPlan plan, string folder)
    {
        _plan = plan;
        Folder = folder;
        var start = new ProcessStartInfo(EtcdTool.Etcd) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in plan.Arguments(DataDirectory))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start etcd");
        _reading = Task.WhenAll(_log.ReadAsync(_process.StandardError), _process.StandardOutput.ReadToEndAsync());
    }

    /// <summary>The member's name (<c>--name</c>).</summary>
    public string Name => _plan.Name;

    /// <summary>Its client URL (<c>http://127.0.0.1:PORT</c>, or <c>https://</c> with TLS).</summary>
    public Uri Endpoint => _plan.ClientUrl;

    /// <summary>Its peer URL.</summary>
    public Uri PeerUrl => _plan.PeerUrl;

    /// <summary>The TLS material it serves with and trusts clients by; null for plaintext.</summary>
    public EtcdTestCertificates? Certificates => _plan.Certificates;

    /// <summary>How Strata reaches it: this endpoint, and with TLS the CA, client certificate and key as <c>file:</c> references.</summary>
    public EtcdAccess Access => Certificates?.Access(Endpoint) ?? new EtcdAccess { Endpoints = [Endpoint] };

    /// <summary>Its temporary folder.</summary>
    public string Folder { get; }

    /// <summary>Its data directory (<c>--data-dir</c>).</summary>
    public string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>The server process's id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines it logged (zap JSON), for failure messages.</summary>
    public string Log => _log.ToString();

    /// <summary>
    /// Starts a single-member etcd and waits until it answers <c>Status</c> with a leader: plaintext, or TLS with
    /// client certificates required (<paramref name="certificates"/>, or new ones it owns). <paramref name="name"/>
    /// defaults to a random <c>etcd-…</c>; <paramref name="quotaBackendBytes"/> sets <c>--quota-backend-bytes</c> (2 GiB
    /// by default; a small one lets a test raise the <c>NOSPACE</c> alarm). Fails (never skips) when etcd is not installed.
    /// </summary>
    public static async Task<EtcdServer> StartAsync(
        bool tls = false, string? name = null, EtcdTestCertificates? certificates = null, long? quotaBackendBytes = null, CancellationToken cancellationToken = default)
    {
        var owned = tls && certificates is null ? EtcdTestCertificates.Create() : null;
        var pki = tls ? certificates ?? owned : null;
        name ??= "etcd-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var ports = LoopbackPorts.Free(2);
                var plan = new EtcdMemberPlan(name, ports[0], ports[1], "", Token(), pki);
                plan = quotaBackendBytes is { } quota ? plan with { QuotaBackendBytes = quota } : plan;
                var server = Launch(plan with { InitialCluster = plan.ClusterEntry });
                try
                {
                    await server.WaitReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
                    server._ownsCertificates = owned is not null;
                    owned = null;
                    return server;
                }
                catch (Exception e) when (attempt < Attempts && server.PortTaken && e is not OperationCanceledException)
                {
                    await server.DisposeAsync();
                }
                catch
                {
                    await server.DisposeAsync();
                    throw;
                }
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Stops it with SIGTERM (SIGKILL after ten seconds), keeping its folder.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process.HasExited)
        {
            return;
        }

        Resume();
        Signal("TERM");
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
        }
    }

    /// <summary>Kills it (SIGKILL) at once, as a crashed node would stop.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>Freezes it (SIGSTOP): its port still accepts connections, but nothing answers — a hung member.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a paused member run again (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    /// <summary>Kills it and deletes its folder (and certificates it made itself).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }

        await _reading;
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        if (_ownsCertificates)
        {
            Certificates?.Dispose();
        }
    }

    /// <summary>Starts a member by <paramref name="plan"/> in a new folder; does not wait.</summary>
    internal static EtcdServer Launch(EtcdMemberPlan plan) => new(plan, NewFolder());

    /// <summary>A token unique to one cluster, so members of another test's cluster on a reused port are refused.</summary>
    internal static string Token() => "strata-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Whether it failed because a port was taken between choosing and binding.</summary>
    internal bool PortTaken => _process.HasExited && _log.Contains("address already in use");

    /// <summary>Waits until it answers <c>Status</c> with a leader; <see cref="InvalidOperationException"/> with its log when it ends or <paramref name="limit"/> passes.</summary>
    internal async Task WaitReadyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var connector = new GrpcEtcdConnector(new SecretResolver(Environment.GetEnvironmentVariable));
        await using var endpoints = await connector.ConnectAsync(Access with { DialTimeout = TimeSpan.FromSeconds(2) }, cancellationToken);
        string? last = null;
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                await _reading;
                throw new InvalidOperationException($"etcd {Name} exited with {_process.ExitCode} while starting: {Log}");
            }

            try
            {
                if ((await endpoints.Members[0].StatusAsync(cancellationToken)).Leader != 0)
                {
                    return;
                }

                last = "no leader yet";
            }
            catch (EtcdRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new InvalidOperationException($"etcd {Name} did not become ready within {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({last}): {Log}");
    }

    private static string NewFolder()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var folder = Path.Combine(root, "strata-etcd-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private void Signal(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]))
            ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit();
    }
}
