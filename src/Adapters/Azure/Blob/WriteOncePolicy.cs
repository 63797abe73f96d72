using global::Azure.Storage.Blobs.Models;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// The write-once lock given to every new artifact: kept for <paramref name="RetainFor"/> from its
/// commit, in <paramref name="Mode"/> (<see cref="BlobImmutabilityPolicyMode.Unlocked"/>: the date
/// may still be shortened or the policy removed by someone with the right role;
/// <see cref="BlobImmutabilityPolicyMode.Locked"/>: the date can only be extended), optionally under
/// legal hold. The container must have version-level immutability enabled (docs/storage.md).
/// <paramref name="ApplyAfterCommit"/> sets the policy and hold with their own calls (Set Blob
/// Immutability Policy, Set Blob Legal Hold) right after the commit instead of on it.
/// </summary>
public sealed record WriteOncePolicy(
    TimeSpan RetainFor,
    BlobImmutabilityPolicyMode Mode = BlobImmutabilityPolicyMode.Unlocked,
    bool LegalHold = false,
    bool ApplyAfterCommit = false)
{
    /// <summary>The policy for a blob committed at <paramref name="now"/>.</summary>
    internal BlobImmutabilityPolicy At(DateTimeOffset now) => new() { ExpiresOn = now + RetainFor, PolicyMode = Mode };
}
