using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Strata.TestKit.Etcd;

/// <summary>
/// A TCP forwarder on a loopback port of its own to a target port (an etcd member's peer listener), which a test can
/// cut: <see cref="Cut"/> drops every connection through it and resets new ones at once; <see cref="CutFrom"/> does so
/// only to connections a given process made; <see cref="Restore"/> forwards everything again. Which process made a
/// connection is read from Linux's <c>/proc</c> (the socket at the connection's far end, among that process's file
/// descriptors), as etcd's own tests cannot do without a network namespace. Disposing stops it and drops everything.
/// </summary>
public sealed class PeerLink : IAsyncDisposable
{
    private const int BufferSize = 32 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly ConcurrentDictionary<Connection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private bool _cut;
    private int? _cutFrom;

    /// <summary>Listens on a free loopback port and forwards each connection to <paramref name="targetPort"/> on loopback.</summary>
    public PeerLink(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>, the URL peers are told to dial.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Drops every connection through it and resets each new one until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            _cut = true;
        }

        foreach (var connection in _connections.Keys)
        {
            connection.Drop();
        }
    }

    /// <summary>Drops the connections process <paramref name="processId"/> made through it, and resets its new ones, until <see cref="Restore"/>.</summary>
    public void CutFrom(int processId)
    {
        lock (_gate)
        {
            _cutFrom = processId;
        }

        foreach (var connection in _connections.Keys.Where(c => c.ClientProcessIs(processId)))
        {
            connection.Drop();
        }
    }

    /// <summary>Forwards every connection again.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            (_cut, _cutFrom) = (false, null);
        }
    }

    /// <summary>Stops listening and drops every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var connection in _connections.Keys)
        {
            connection.Drop();
        }

        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(Socket client, CancellationToken cancellationToken)
    {
        var connection = new Connection(client, Port);
        if (Refused(connection))
        {
            connection.Drop();
            return;
        }

        _connections[connection] = 0;
        try
        {
            await connection.Server.ConnectAsync(IPAddress.Loopback, _target, cancellationToken);

            // Cut while connecting: the cut saw it in the list, but dropping an unconnected socket is undone by nothing.
            if (Refused(connection))
            {
                return;
            }

            await Task.WhenAny(PumpAsync(client, connection.Server), PumpAsync(connection.Server, client));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Drop();
        }
    }

    private bool Refused(Connection connection)
    {
        lock (_gate)
        {
            return _cut || (_cutFrom is { } pid && connection.ClientProcessIs(pid));
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>One forwarded connection: the accepted socket, and the one to the target.</summary>
    private sealed class Connection(Socket client, int linkPort)
    {
        private readonly int _clientPort = ((IPEndPoint)client.RemoteEndPoint!).Port;

        public Socket Server { get; } = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        /// <summary>Whether process <paramref name="processId"/> holds the socket at the client's end.</summary>
        public bool ClientProcessIs(int processId) =>
            SocketInode(_clientPort, linkPort) is { } inode && ProcessHoldsSocket(processId, inode);

        /// <summary>Resets both sides (linger 0: an RST, as a cut cable's next packet would get).</summary>
        public void Drop()
        {
            foreach (var socket in new[] { client, Server })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }

                socket.Dispose();
            }
        }

        // /proc/net/tcp: "sl local_address rem_address st ... uid timeout inode", addresses as hex "0100007F:1F90".
        private static string? SocketInode(int localPort, int remotePort)
        {
            var local = ":" + localPort.ToString("X4", CultureInfo.InvariantCulture);
            var remote = ":" + remotePort.ToString("X4", CultureInfo.InvariantCulture);
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            {
                if (!File.Exists(table))
                {
                    continue;
                }

                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 9 && fields[1].EndsWith(local, StringComparison.Ordinal) && fields[2].EndsWith(remote, StringComparison.Ordinal))
                    {
                        return fields[9];
                    }
                }
            }

            return null;
        }

        private static bool ProcessHoldsSocket(int processId, string inode)
        {
            var target = $"socket:[{inode}]";
            try
            {
                return Directory.EnumerateFileSystemEntries($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/fd")
                    .Any(fd => Link(fd) == target);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
            {
                return false;
            }
        }

        private static string? Link(string path)
        {
            try
            {
                return new FileInfo(path).LinkTarget;
            }
            catch (Exception e) when (e is FileNotFoundException or UnauthorizedAccessException or IOException)
            {
                return null;
            }
        }
    }
}
