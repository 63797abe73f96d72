using Strata.Core.Results;

namespace Strata.Core.Verification;

/// <summary>
/// One thing verification found wrong (an error: the backup is not usable) or suspicious (a warning:
/// e.g. the backup shrank against the last verified one), located as precisely as known.
/// </summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Check">The check that found it: <c>manifest</c>, <c>presence</c>, <c>size</c>, <c>sha256</c>, <c>empty</c>, <c>archive</c>, <c>entry</c>, <c>counts</c>, <c>drift</c>, or a layer's own.</param>
/// <param name="Message">What is wrong, in words an operator can act on.</param>
/// <param name="Artifact">The artifact's path in the backup, e.g. <c>resources.tar.gz</c>.</param>
/// <param name="Entry">The entry inside the artifact, e.g. an object's archive path.</param>
/// <param name="Expected">What the manifest (or the baseline) says.</param>
/// <param name="Found">What the store holds.</param>
public sealed record VerificationFinding(
    ProblemSeverity Severity, string Check, string Message, string? Artifact = null, string? Entry = null, string? Expected = null, string? Found = null)
{
    /// <summary>Where and what, on one line: <c>resources.tar.gz: resources/core/v1/…/a.json: sha256: expected …, found …</c>.</summary>
    public override string ToString()
    {
        var where = string.Join(": ", new[] { Artifact, Entry }.Where(s => s is not null));
        var values = Expected is null && Found is null ? "" : $" (expected {Expected ?? "—"}, found {Found ?? "—"})";
        return (where.Length == 0 ? "" : where + ": ") + $"{Check}: {Message}{values}";
    }
}
