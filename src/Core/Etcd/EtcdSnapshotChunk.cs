namespace Strata.Core.Etcd;

/// <summary>One message of <c>Maintenance.Snapshot</c>'s stream.</summary>
/// <param name="Data">The bytes it carries (its <c>blob</c>).</param>
/// <param name="RemainingBytes">What etcd says is left after this message (0 on the last), for progress.</param>
public readonly record struct EtcdSnapshotChunk(ReadOnlyMemory<byte> Data, ulong RemainingBytes);
