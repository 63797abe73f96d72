namespace Strata.Core.Etcd;

/// <summary>What <see cref="EtcdSnapshotIntegrity"/> found.</summary>
/// <param name="Intact">The bbolt header reads, the length agrees with it, and etcd's SHA-256 matches.</param>
/// <param name="Problem">What is wrong; null when intact.</param>
/// <param name="Length">Bytes read, trailer included.</param>
/// <param name="DatabaseLength">The database's bytes (without the trailer).</param>
/// <param name="DatabaseSha256">SHA-256 of the database's bytes; null when broken before it counted.</param>
/// <param name="PageSize">The bbolt page size; 0 when the header did not read.</param>
/// <param name="TransactionId">The bbolt transaction the snapshot was written in.</param>
public sealed record EtcdSnapshotVerdict(bool Intact, string? Problem, long Length, long DatabaseLength, string? DatabaseSha256, int PageSize, ulong TransactionId)
{
    /// <summary>SHA-256 of every byte read, trailer included (the artifact's hash), lowercase hex: computed in the same pass as the database's.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>A snapshot that failed, and why.</summary>
    public static EtcdSnapshotVerdict Broken(long length, string problem) => new(false, problem, length, Math.Max(0, length - EtcdSnapshotIntegrity.TrailerLength), null, 0, 0);
}
