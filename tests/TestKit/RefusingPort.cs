using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Strata.TestKit;

/// <summary>
/// A loopback port that refuses every connection for as long as this lives: a socket is bound to it and never listens,
/// so a connection is answered with a reset (connection refused) at once. Unlike a port freed after choosing it, it
/// cannot turn into another test's server meanwhile: the kernel hands a bound port to no one binding port 0 (as
/// <see cref="Adapters.Hosting.LoopbackPorts"/> and every server started on a free port do) and uses it for no
/// outgoing connection. Dispose it when the test is done.
/// </summary>
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Binds a new socket to a free loopback port.</summary>
    public RefusingPort()
    {
        try
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary><c>scheme://127.0.0.1:PORT</c>.</summary>
    public Uri Url(string scheme = "http") => new($"{scheme}://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Releases the port.</summary>
    public void Dispose() => _socket.Dispose();
}
