using System.ComponentModel;
using System.Diagnostics;
using Strata.Adapters.Commands;
using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>
/// A throwaway etcd that <see cref="LocalEtcdRehearsals"/> started: the process (its log drained into a bounded tail, so
/// a chatty member never blocks on a full pipe) and its folder. Disposing kills the process tree and deletes the folder.
/// </summary>
internal sealed class LocalRehearsedEtcd : IRehearsedEtcd
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StderrTail _log = new(16 * 1024);
    private readonly Task _draining;
    private readonly Lock _gate = new();
    private int _disposed;

    public LocalRehearsedEtcd(Process process, string directory, int clientPort, string restoreTool, TimeSpan restoreDuration)
    {
        _process = process;
        _directory = directory;
        RestoreTool = restoreTool;
        RestoreDuration = restoreDuration;
        Access = new EtcdAccess { Endpoints = [new Uri($"http://127.0.0.1:{clientPort}")], DialTimeout = TimeSpan.FromSeconds(2) };
        process.StandardInput.Close();
        _draining = Task.WhenAll(DrainAsync(process.StandardError.BaseStream), DrainAsync(process.StandardOutput.BaseStream));
    }

    /// <inheritdoc />
    public EtcdAccess Access { get; }

    /// <inheritdoc />
    public string RestoreTool { get; }

    /// <inheritdoc />
    public TimeSpan RestoreDuration { get; }

    /// <inheritdoc />
    public TimeSpan StartDuration { get; set; }

    /// <summary>Whether etcd has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code, once it has exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The tail of what it logged.</summary>
    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
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
                throw new EtcdRehearsalException($"etcd (process {_process.Id}) did not exit within 30 s of being killed; its folder {_directory} is left");
            }
        }

        await _draining;
        _process.Dispose();
        Delete(_directory);
    }

    /// <summary>Deletes <paramref name="directory"/> and everything in it, if it is there.</summary>
    public static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
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
