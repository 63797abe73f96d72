namespace Strata.Core.Etcd;

/// <summary>The clients of one cluster's etcd endpoints; disposing closes their channels.</summary>
public interface IEtcdEndpoints : IAsyncDisposable
{
    /// <summary>One client per configured endpoint, in the configured order.</summary>
    IReadOnlyList<IEtcdMember> Members { get; }
}
