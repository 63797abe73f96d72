using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Databases;
using Strata.Core.Kubernetes;
using Strata.Core.Results;

namespace Strata.Core.Volumes;

/// <summary>
/// The volume layer's plan: which claims it snapshots, and which it lists unprotected with the reason (each also a
/// warning, or an error when strata.yaml names a class the cluster cannot use) — every claim in scope is one or the other.
/// </summary>
internal sealed class VolumePlan(LayerContext context, VolumeInventory inventory)
{
    private readonly List<UnprotectedVolume> _unprotected = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private ClaimPlanner? _planner;

    /// <summary>Reads the volumes and snapshot classes the plan needs.</summary>
    public async Task ReadClusterAsync(IReadOnlyList<SnapshotClassRule> rules, CancellationToken cancellationToken) =>
        _planner = new ClaimPlanner(await inventory.VolumesAsync(cancellationToken), await inventory.SnapshotClassesAsync(cancellationToken), rules, context.Cluster);

    /// <summary>The claims to snapshot among <paramref name="claims"/> (each once, the excluded left out); the others listed unprotected.</summary>
    public List<PlannedClaim> Plan(IEnumerable<KubeObject> claims, IEnumerable<string> excluded)
    {
        var skip = excluded.ToHashSet(StringComparer.Ordinal);
        var planned = new List<PlannedClaim>();
        foreach (var claim in claims)
        {
            var qualified = claim.Key;
            if (skip.Contains(qualified) || !_seen.Add(qualified))
            {
                continue;
            }

            var verdict = _planner!.Plan(claim);
            if (verdict.Planned is { } snapshot)
            {
                planned.Add(snapshot);
            }
            else
            {
                Unprotected(verdict.Unprotected!, verdict.Error, verdict.ErrorReason);
            }
        }

        return planned;
    }

    /// <summary>The claims of a database target, read by name; a claim or pod that cannot be found is an error of the target.</summary>
    public async Task<List<KubeObject>> DatabaseClaimsAsync(DatabaseTarget target, (string Namespace, string Name)? sessionPod, CancellationToken cancellationToken)
    {
        var (names, problem) = await DatabaseVolumes.ClaimsAsync(inventory, inventory.Client, target, sessionPod, cancellationToken);
        if (problem is not null)
        {
            context.Result.Error($"{problem}; its volumes are not snapshotted", VolumeLayer.Resource, target.Namespace, target.Name, ProblemReasons.NotFound);
        }

        var ns = sessionPod?.Namespace ?? target.Namespace;
        var claims = new List<KubeObject>();
        foreach (var name in names)
        {
            if (await inventory.ClaimAsync(ns, name, cancellationToken) is { } claim)
            {
                claims.Add(claim);
            }
            else
            {
                context.Result.Error($"database target {target.Qualified}: claim {ns}/{name} not found; it is not snapshotted", VolumeLayer.Resource, ns, name, ProblemReasons.NotFound);
            }
        }

        return claims;
    }

    /// <summary>Without the snapshot API, every claim in scope (and each a database target names) is unprotected.</summary>
    public async Task ListUnservedAsync(IEnumerable<KubeObject> claims, IEnumerable<DatabaseTarget> databases, CancellationToken cancellationToken)
    {
        var all = claims.ToList();
        foreach (var target in databases)
        {
            foreach (var name in target.Volumes)
            {
                if (await inventory.ClaimAsync(target.Namespace, name, cancellationToken) is { } claim)
                {
                    all.Add(claim);
                }
            }
        }

        foreach (var claim in all.Where(c => _seen.Add(c.Key)))
        {
            Unprotected(new UnprotectedVolume(claim.Namespace ?? "", claim.Name, claim.GetString("spec.storageClassName"), null,
                "the cluster serves no snapshot.storage.k8s.io/v1 VolumeSnapshots"), null, null);
        }
    }

    /// <summary>The layer's capture: the snapshots recorded and the claims left unprotected, each by namespace and name.</summary>
    public LayerCapture Capture(IReadOnlyList<(VolumeSnapshotRecord Record, ArtifactEntry? Artifact)> recorded) =>
        new([.. recorded.Select(r => r.Artifact).OfType<ArtifactEntry>().OrderBy(a => a.Path, StringComparer.Ordinal)])
        {
            Volumes = [.. recorded.Select(r => r.Record).OrderBy(r => r.Qualified, StringComparer.Ordinal)],
            UnprotectedVolumes = [.. _unprotected.OrderBy(u => u.Qualified, StringComparer.Ordinal)],
        };

    private void Unprotected(UnprotectedVolume volume, string? error, string? reason)
    {
        _unprotected.Add(volume);
        if (error is not null)
        {
            context.Result.Error(error, VolumeLayer.Resource, volume.Namespace, volume.Claim, reason);
        }
        else
        {
            context.Result.Warning($"claim {volume.Qualified} is not protected: {volume.Reason}", VolumeLayer.Resource, volume.Namespace, volume.Claim, ProblemReasons.Unprotected);
        }
    }
}
