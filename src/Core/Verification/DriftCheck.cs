using System.Globalization;
using Strata.Core.Artifacts;

namespace Strata.Core.Verification;

/// <summary>
/// Compares a backup with its baseline — the last verified backup of the same policy, cluster and scope that showed no
/// drift itself (<see cref="VerificationRun"/> chooses it) — for the failures
/// that pass every integrity check: the silent 0-byte dump and "half the cluster missing". An object
/// count (in total, per resource type, per namespace) or artifact size that shrank by more than the threshold, or a
/// resource type or namespace that vanished, is a warning (the cluster may really have shrunk; a person decides).
/// </summary>
public static class DriftCheck
{
    /// <summary>The check's name in findings: only these warnings raise <c>backup-drift</c> and keep a backup from being a baseline.</summary>
    public const string Name = "drift";

    /// <summary>The default threshold: a shrink of more than half.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Resource types and namespaces with fewer objects than this in the baseline are too small for a ratio to mean anything; only their vanishing is reported.</summary>
    public const int MinimumForRatio = 10;

    /// <summary>The drift warnings of <paramref name="report"/> (other checks warn too: a volume snapshot not checked against its cluster is not drift).</summary>
    public static IEnumerable<VerificationFinding> Of(VerificationReport report) => report.Warnings.Where(f => f.Check == Name);

    /// <summary>Adds a warning to <paramref name="findings"/> for each way <paramref name="current"/> shrank against <paramref name="baseline"/>.</summary>
    /// <param name="current">The backup being verified.</param>
    /// <param name="baseline">The baseline: the last verified, drift-free backup of the same policy, cluster and scope.</param>
    /// <param name="threshold">The shrink (0–1) beyond which a count or size is reported.</param>
    /// <param name="findings">Where warnings go.</param>
    public static void Compare(VerificationReport current, VerificationReport baseline, double threshold, VerificationFindings findings)
    {
        var since = $"since verified backup {baseline.BackupId}";
        if (current.Counts is { } now && baseline.Counts is { } before)
        {
            if (Shrank(before.Total, now.Total, threshold, minimum: 1))
            {
                findings.Warning(Name, $"objects in total shrank by {Percent(before.Total, now.Total)} {since}", ArtifactLayout.Manifest,
                    expected: Count(before.Total), found: Count(now.Total));
            }

            foreach (var (resource, was) in before.ByResource.Where(p => p.Value > 0))
            {
                var count = now.ByResource.GetValueOrDefault(resource);
                if (count == 0)
                {
                    findings.Warning(Name, $"resource type {resource} vanished {since}", ArtifactLayout.Manifest, expected: Count(was), found: "0");
                }
                else if (Shrank(was, count, threshold, MinimumForRatio))
                {
                    findings.Warning(Name, $"objects of {resource} shrank by {Percent(was, count)} {since}", ArtifactLayout.Manifest,
                        expected: Count(was), found: Count(count));
                }
            }

            // A namespace half gone is "half the cluster missing" in one team's corner: the same rule as a resource type's.
            foreach (var (ns, was) in before.ByNamespace.Where(p => p.Value > 0))
            {
                var count = now.ByNamespace.GetValueOrDefault(ns);
                if (count == 0)
                {
                    findings.Warning(Name, $"namespace {ns} vanished {since}", ArtifactLayout.Manifest, expected: $"{Count(was)} objects", found: "0");
                }
                else if (Shrank(was, count, threshold, MinimumForRatio))
                {
                    findings.Warning(Name, $"objects of namespace {ns} shrank by {Percent(was, count)} {since}", ArtifactLayout.Manifest,
                        expected: Count(was), found: Count(count));
                }
            }
        }

        var sizes = current.Artifacts.Where(a => a.Size is not null).ToDictionary(a => a.Path, a => a.Size!.Value, StringComparer.Ordinal);
        foreach (var artifact in baseline.Artifacts.Where(a => a.Size > 0))
        {
            if (!sizes.TryGetValue(artifact.Path, out var size))
            {
                findings.Warning(Name, $"the artifact vanished {since}", artifact.Path, expected: Bytes(artifact.Size!.Value), found: "none");
            }
            else if (Shrank(artifact.Size!.Value, size, threshold, minimum: 1))
            {
                findings.Warning(Name, $"the artifact shrank by {Percent(artifact.Size.Value, size)} {since}", artifact.Path,
                    expected: Bytes(artifact.Size.Value), found: Bytes(size));
            }
        }
    }

    private static bool Shrank(long before, long now, double threshold, long minimum) => before >= minimum && now < before * (1 - threshold);

    private static string Percent(long before, long now) => ((before - now) * 100.0 / before).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Bytes(long n) => n.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
