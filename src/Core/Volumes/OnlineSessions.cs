using Strata.Core.Databases;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// The online-backup sessions the volume layer opened, each ended exactly once: by its run as soon as the run is over,
/// and whatever is left when the layer ends — on every path, an open that threw or was cancelled included. An open
/// session keeps a backup in progress on the server (<c>psql</c> holding <c>pg_backup_start</c>).
/// </summary>
internal sealed class OnlineSessions
{
    private readonly Lock _gate = new();
    private readonly List<IOnlineBackupSession> _open = [];

    /// <summary>Keeps <paramref name="session"/> to be ended.</summary>
    public void Add(IOnlineBackupSession session)
    {
        lock (_gate)
        {
            _open.Add(session);
        }
    }

    /// <summary>Ends <paramref name="session"/> unless it was ended already; a session that fails to close is over all the same.</summary>
    public async Task EndAsync(IOnlineBackupSession? session)
    {
        bool open;
        lock (_gate)
        {
            open = session is not null && _open.Remove(session);
        }

        if (!open)
        {
            return;
        }

        try
        {
            await session!.DisposeAsync();
        }
        catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException or IOException)
        {
            // The session is over either way; what it held ended with it.
        }
    }

    /// <summary>Ends every session still open.</summary>
    public async Task EndAllAsync()
    {
        List<IOnlineBackupSession> left;
        lock (_gate)
        {
            left = [.. _open];
        }

        foreach (var session in left)
        {
            await EndAsync(session);
        }
    }
}
