using System.Net;
using System.Net.Sockets;

namespace Strata.Adapters.Hosting;

/// <summary>
/// Free ports on 127.0.0.1 for servers Strata starts as processes of their own (a rehearsal etcd, a throwaway
/// PostgreSQL, the tests' fixtures), which must be told a port rather than bind port 0 and report it. The kernel picks
/// each port; it is free when this returns, not reserved: a server may still find it taken, and the caller retries.
/// </summary>
public static class LoopbackPorts
{
    /// <summary>One free loopback port.</summary>
    public static int Free() => Free(1)[0];

    /// <summary><paramref name="count"/> distinct free loopback ports (all held by listeners at once, then released together).</summary>
    public static int[] Free(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
