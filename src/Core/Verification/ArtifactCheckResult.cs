using Strata.Core.Artifacts;

namespace Strata.Core.Verification;

/// <summary>What one content check learnt of an artifact.</summary>
/// <param name="Facts">Facts for the report, as strings (e.g. <c>entries</c> → <c>1204</c>).</param>
/// <param name="ReadToEnd">Whether the check could read the whole content (false when it stopped at damage).</param>
/// <param name="Counts">Objects found, for checks that read API objects (summed over artifacts, compared with the manifest when every check read to the end).</param>
public sealed record ArtifactCheckResult(IReadOnlyDictionary<string, string> Facts, bool ReadToEnd, ObjectCounts? Counts = null);
