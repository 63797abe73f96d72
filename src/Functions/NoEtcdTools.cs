using Strata.Core.Etcd;

namespace Strata.Functions;

/// <summary>
/// The rebuild drill's port on a Functions app: no etcd tools, no processes. Its etcd drills check the snapshot's
/// integrity only; <see cref="Unavailable"/> says so, and where a full rebuild runs instead.
/// </summary>
internal sealed class NoEtcdTools : IEtcdRehearsals
{
    public static NoEtcdTools Instance { get; } = new();

    public string? Unavailable =>
        "a Functions app has no etcd tools (etcdutl or etcdctl, etcd): run 'strata drill run' or 'strata run' on a machine that has them for a full rebuild";

    public Task<IRehearsedEtcd> RebuildAsync(string snapshotFile, string name, CancellationToken cancellationToken = default) =>
        Task.FromException<IRehearsedEtcd>(new EtcdRehearsalException(Unavailable!));

    public IEtcdSnapshotFile NewSnapshotFile() => throw new EtcdRehearsalException(Unavailable!);
}
