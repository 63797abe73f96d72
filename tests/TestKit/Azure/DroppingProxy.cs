using System.Net;
using System.Net.Sockets;

namespace Strata.TestKit.Azure;

/// <summary>
/// A TCP proxy on a loopback port in front of a real service that cuts the first
/// <c>drops</c> connections after <see cref="DropAfterBytes"/> bytes of response —
/// a dropped connection in the middle of a download, as networks do.
/// </summary>
public sealed class DroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _dropsLeft;

    public DroppingProxy(int targetPort, long dropAfterBytes, int drops)
    {
        _target = targetPort;
        DropAfterBytes = dropAfterBytes;
        _dropsLeft = drops;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long DropAfterBytes { get; }

    /// <summary>Connections cut so far.</summary>
    public int Dropped { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, _target);
        var drop = Interlocked.Decrement(ref _dropsLeft) >= 0;
        var upstream = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
        var downstream = CopyAsync(server.GetStream(), client.GetStream(), drop ? DropAfterBytes : long.MaxValue);
        await Task.WhenAny(upstream, downstream);
        if (drop && downstream.IsCompleted)
        {
            Dropped++;
            client.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private async Task CopyAsync(Stream from, Stream to, long limit)
    {
        var buffer = new byte[16 * 1024];
        long copied = 0;
        while (copied < limit)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - copied)), _stop.Token);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            copied += read;
        }
    }
}
