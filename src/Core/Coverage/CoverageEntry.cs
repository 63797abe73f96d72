namespace Strata.Core.Coverage;

/// <summary>One stateful thing in a cluster and whether anything protects it.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Namespace">Its namespace; null for cluster-wide things (etcd).</param>
/// <param name="Name">Its name.</param>
/// <param name="State">Protected, rebuildable or unprotected.</param>
/// <param name="Detail">What it is in words (<c>image postgres:16</c>, <c>StorageClass managed-csi, snapshot class csi-azuredisk-vsc</c>).</param>
/// <param name="Reason">Why it has its state, in words an operator can act on (<c>no policy's scope includes namespace shop</c>).</param>
public sealed record CoverageEntry(StatefulKind Kind, string? Namespace, string Name, CoverageState State, string Detail, string Reason)
{
    /// <summary>The policies and layers that protect it (empty unless <see cref="State"/> is <see cref="CoverageState.Protected"/>).</summary>
    public IReadOnlyList<CoverageProtection> ProtectedBy { get; init; } = [];
}
