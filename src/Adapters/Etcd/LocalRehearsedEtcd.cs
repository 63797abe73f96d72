using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>A throwaway etcd that <see cref="LocalEtcdRehearsals"/> restored and started: the process, and how the restore went. Disposing stops it and deletes its folder.</summary>
internal sealed class LocalRehearsedEtcd(LocalEtcdProcess process, string restoreTool, TimeSpan restoreDuration) : IRehearsedEtcd
{
    /// <inheritdoc />
    public EtcdAccess Access => process.Access;

    /// <inheritdoc />
    public string RestoreTool { get; } = restoreTool;

    /// <inheritdoc />
    public TimeSpan RestoreDuration { get; } = restoreDuration;

    /// <inheritdoc />
    public TimeSpan StartDuration => process.StartDuration;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => process.DisposeAsync();
}
