using Strata.Core.Artifacts;

namespace Strata.Core.Verification;

/// <summary>
/// A layer's check of its own artifacts' content, the seam each layer plugs into verification
/// (objects: the archive's entries; databases: a dump's table of contents and data; later, an etcd snapshot's hash).
/// The verifier streams each artifact from the store once: it checks size and SHA-256 itself and
/// hands the bytes to the one check that applies (the first in the list), so a check reads
/// <c>content</c> forward only and never holds it whole in memory.
/// </summary>
public interface IArtifactCheck
{
    /// <summary>The check's name in reports (e.g. <c>objects</c>).</summary>
    string Name { get; }

    /// <summary>Whether it checks <paramref name="artifact"/>.</summary>
    bool AppliesTo(ArtifactEntry artifact);

    /// <summary>
    /// Reads <paramref name="content"/> (forward only) and reports what is wrong in <paramref name="findings"/>;
    /// returns what it learnt, for the report (e.g. entries read). It need not read to the end.
    /// </summary>
    Task<ArtifactCheckResult> CheckAsync(ArtifactEntry artifact, Stream content, BackupManifest manifest, VerificationFindings findings, CancellationToken cancellationToken = default);
}
