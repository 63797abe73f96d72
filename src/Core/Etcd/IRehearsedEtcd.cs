namespace Strata.Core.Etcd;

/// <summary>A throwaway etcd rebuilt from a snapshot; disposing it stops the process and deletes its data.</summary>
public interface IRehearsedEtcd : IAsyncDisposable
{
    /// <summary>How to reach it (a plaintext loopback endpoint).</summary>
    EtcdAccess Access { get; }

    /// <summary>The restore tool and its version (<c>etcdutl 3.5.12</c>, <c>etcdctl 3.4.23</c>).</summary>
    string RestoreTool { get; }

    /// <summary>How long the restore into the data directory took.</summary>
    TimeSpan RestoreDuration { get; }

    /// <summary>How long etcd took from its start to its first answer.</summary>
    TimeSpan StartDuration { get; }
}
