using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.Core.Kubernetes;
using Strata.Core.Status;
using Strata.Core.Volumes;

namespace Strata.Core.Coverage;

/// <summary>
/// Decides, for each stateful thing of one cluster's <see cref="ClusterInventory"/>, which of the policies selecting the
/// cluster protect it and with which layer, and why the others do not. The data is what counts: the objects layer
/// alone never makes a stateful thing protected (the reason says its objects are kept, not its data).
/// </summary>
internal sealed partial class CoverageJudge
{
    private readonly StrataConfiguration _configuration;
    private readonly ClusterDefinition _cluster;
    private readonly ClusterInventory _inventory;
    private readonly List<PolicyDefinition> _policies;
    private readonly Dictionary<string, Verdict> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Verdict> _databasePods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CoverageEntry> _podEntries = new(StringComparer.Ordinal);
    private readonly List<CoverageEntry> _entries = [];

    public CoverageJudge(StrataConfiguration configuration, ClusterDefinition cluster, ClusterInventory inventory)
    {
        _configuration = configuration;
        _cluster = cluster;
        _inventory = inventory;
        _policies = configuration.Policies.Where(p => p.Clusters.Any(s => s.Matches(cluster))).ToList();
    }

    /// <summary>Every entry, ordered by namespace, kind and name.</summary>
    public IReadOnlyList<CoverageEntry> Judge()
    {
        var operators = _inventory.OperatorDatabases.Select(o => (o.Operator, o.Database, Verdict: OperatorDumps(o.Operator, o.Database))).ToList();
        foreach (var claim in _inventory.Claims)
        {
            _claims[claim.Key] = ClaimSnapshots(claim);
        }

        var databasePods = _inventory.Pods.Where(p => WorkloadShape.Database(p.Json) is not null && !ManagedByOperator(p.Namespace, p.Labels, operators.Select(o => (o.Operator, o.Database)))).ToList();
        foreach (var pod in databasePods)
        {
            _databasePods[pod.Key] = PodDumps(pod);
        }

        // A dump protects the claims that hold the dumped data — those the database's own container mounts, not a sidecar's
        // or the application's: the layered view asks whether the data survives, not how.
        foreach (var pod in databasePods.Where(p => _databasePods[p.Key].Protected))
        {
            foreach (var claim in WorkloadShape.DatabaseClaims(pod))
            {
                _claims.GetValueOrDefault($"{pod.Namespace}/{claim}")?.Merge(Protections(_databasePods[pod.Key]));
            }
        }

        foreach (var (op, database, verdict) in operators.Where(o => o.Verdict.Protected))
        {
            foreach (var claim in _inventory.Claims.Where(c => c.Namespace == database.Namespace && c.Label(op.InstanceLabel) == database.Name))
            {
                _claims[claim.Key].Merge(Protections(verdict));
            }
        }

        foreach (var claim in _inventory.Claims)
        {
            Add(StatefulKind.PersistentVolumeClaim, claim, ClaimDetail(claim), _claims[claim.Key], VolumeSnapshotApi.Claims);
        }

        foreach (var pod in databasePods)
        {
            DatabasePod(pod);
        }

        foreach (var (op, database, verdict) in operators)
        {
            OperatorDatabase(op, database, verdict);
        }

        Workloads(operators.Select(o => (o.Operator, o.Database)).ToList());
        Etcd();
        return _entries.OrderBy(e => e.Namespace ?? "", StringComparer.Ordinal).ThenBy(e => e.Kind).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether the volumes layer of each policy snapshots the claim, as a backup would plan it (<see cref="ClaimPlanner"/>).</summary>
    private Verdict ClaimSnapshots(KubeObject claim)
    {
        var verdict = new Verdict();
        var ns = claim.Namespace ?? "";
        foreach (var policy in InScope(ns, verdict))
        {
            var volumes = policy.Volumes;
            if (!volumes.Snapshots)
            {
                verdict.Not($"policy {policy.Name} skips volumes (no volumes: snapshot)");
            }
            else if (!volumes.Selector.Matches(claim.Labels))
            {
                verdict.Not($"policy {policy.Name}'s volumes.selector ({volumes.Selector}) does not select it");
            }
            else if (!_inventory.SnapshotsServed)
            {
                verdict.Not($"policy {policy.Name} snapshots volumes, but the cluster does not serve {VolumeSnapshotApi.ApiVersion} VolumeSnapshots");
            }
            else
            {
                var plan = new ClaimPlanner(_inventory.Volumes, _inventory.SnapshotClasses, volumes.Classes, _cluster.Name).Plan(claim);
                if (plan.Planned is { } planned)
                {
                    verdict.Protect(policy.Name, BackupLayers.Volumes, $"snapshotted by policy {policy.Name} (VolumeSnapshotClass {planned.VolumeSnapshotClass})");
                }
                else
                {
                    verdict.Not($"policy {policy.Name} cannot snapshot it: {plan.Unprotected!.Reason}");
                }
            }
        }

        return verdict;
    }

    /// <summary>
    /// Whether a policy's databases or applications target dumps the pod: an exec target in its namespace that lands on it
    /// (by <c>pod:</c>, or its <c>podSelector:</c> picking it as a backup does) and whose engine dumps what the pod's image
    /// runs. An application dump runs the application's own command, so any engine will do.
    /// </summary>
    private Verdict PodDumps(KubeObject pod)
    {
        var verdict = new Verdict();
        var ns = pod.Namespace ?? "";
        var engine = WorkloadShape.Database(pod.Json)!.Value.Database.Engine;
        foreach (var policy in _policies)
        {
            foreach (var target in policy.Databases.Where(t => t.Executor == DatabaseExecutor.Exec && t.Namespace == ns))
            {
                var what = $"policy {policy.Name}'s databases target {target.Name}";
                if (!LandsOn(what, ns, target.Pod, target.PodSelector, pod, verdict))
                {
                    continue;
                }

                if (TargetEngines.Dumps(target.Engine, engine))
                {
                    verdict.Protect(policy.Name, BackupLayers.Databases, $"dumped by {what}");
                }
                else
                {
                    verdict.Not($"{what} points at it, but {TargetEngines.WhyNot(target.Engine, engine)}");
                }
            }

            foreach (var dump in policy.Applications.Where(a => a.Namespace == ns))
            {
                var what = $"policy {policy.Name}'s application dump {dump.Name}";
                if (LandsOn(what, ns, dump.Pod, dump.PodSelector, pod, verdict))
                {
                    verdict.Protect(policy.Name, BackupLayers.Databases, $"dumped by {what}");
                }
            }
        }

        if (!verdict.Protected && verdict.WhyNot.Count == 0)
        {
            verdict.Not("no policy's databases: target points at it");
        }

        return verdict;
    }

    /// <summary>
    /// Whether a policy backs up an operator's database: CloudNativePG through its cloudNativePG: targets; every operator
    /// through a databases target whose pod (by name, or the one its selector picks) carries the operator's instance label
    /// with the database's name, and whose engine dumps the operator's.
    /// </summary>
    private Verdict OperatorDumps(DatabaseOperator op, KubeObject database)
    {
        var verdict = new Verdict();
        var ns = database.Namespace ?? "";
        var instances = _inventory.Selectable.Where(p => p.Namespace == ns && p.Label(op.InstanceLabel) == database.Name).ToList();
        foreach (var policy in _policies)
        {
            if (op.IsCloudNativePg)
            {
                foreach (var target in policy.CloudNativePG.Where(t => t.Namespace == ns && t.Cluster == database.Name))
                {
                    verdict.Protect(policy.Name, BackupLayers.Databases, $"backed up through the operator by policy {policy.Name} (cloudNativePG: {target.Qualified})");
                }
            }

            foreach (var target in policy.Databases.Where(t => t.Executor == DatabaseExecutor.Exec && t.Namespace == ns))
            {
                var what = $"policy {policy.Name}'s databases target {target.Name}";
                var pod = instances.FirstOrDefault(i => LandsOn(what, ns, target.Pod, target.PodSelector, i, verdict));
                if (pod is null)
                {
                    continue;
                }

                if (TargetEngines.Dumps(target.Engine, op.Engine))
                {
                    verdict.Protect(policy.Name, BackupLayers.Databases, $"dumped by {what} (pod {pod.Name})");
                }
                else
                {
                    verdict.Not($"{what} points at its pod {pod.Name}, but {TargetEngines.WhyNot(target.Engine, op.Engine)}");
                }
            }
        }

        if (!verdict.Protected && verdict.WhyNot.Count == 0)
        {
            verdict.Not(op.IsCloudNativePg
                ? "not in any policy's cloudNativePG: targets"
                : $"no policy's databases: target points at its pods (label {op.InstanceLabel}={database.Name})");
        }

        return verdict;
    }

    /// <summary>
    /// Whether a target's <c>pod:</c> or <c>podSelector:</c> lands on <paramref name="candidate"/> as a backup finds its pod
    /// (<see cref="PodLocator.Choose"/>): a selector dumps one pod, the first Running and Ready it matches by name. When the
    /// selector matches the candidate but picks another pod (or none), <paramref name="verdict"/> says so.
    /// </summary>
    private bool LandsOn(string what, string ns, string? pod, LabelSelector? selector, KubeObject candidate, Verdict verdict)
    {
        if (pod is not null)
        {
            return pod == candidate.Name;
        }

        if (selector?.Matches(candidate.Labels) != true)
        {
            return false;
        }

        var matched = _inventory.Selectable.Where(p => p.Namespace == ns && selector.Matches(p.Labels)).ToList();
        var chosen = PodLocator.Choose(matched);
        if (chosen?.Name == candidate.Name)
        {
            return true;
        }

        verdict.Not(chosen is null
            ? $"{what} selects {matched.Count} pod(s) ({selector}), none Running and Ready: a backup finds no pod to dump"
            : $"{what} selects {matched.Count} pods ({selector}); a backup dumps only {chosen.Name} (the first Running and Ready by name)");
        return false;
    }

    /// <summary>Whether an operator's database in the same namespace claims the object by its instance label.</summary>
    private static bool ManagedByOperator(string? ns, IReadOnlyDictionary<string, string> labels, IEnumerable<(DatabaseOperator Operator, KubeObject Database)> operators) =>
        operators.Any(o => o.Database.Namespace == ns && labels.GetValueOrDefault(o.Operator.InstanceLabel) == o.Database.Name);

    /// <summary>Only what protects, without the reasons: what one thing lends another.</summary>
    private static Verdict Protections(Verdict verdict)
    {
        var copy = new Verdict();
        copy.Merge(verdict);
        copy.WhyNot.Clear();
        return copy;
    }

    /// <summary>The policies whose scope includes <paramref name="ns"/>; when none does, says so once in <paramref name="verdict"/>.</summary>
    private List<PolicyDefinition> InScope(string ns, Verdict verdict)
    {
        var policies = _policies.Where(p => p.Scope.IncludesNamespace(ns)).ToList();
        if (_policies.Count > 0 && policies.Count == 0)
        {
            verdict.Not($"no policy's scope includes namespace {ns}");
        }

        return policies;
    }

    /// <summary>The policies whose objects layer takes <paramref name="obj"/>.</summary>
    private List<string> ObjectsPolicies(KubeObject obj, ApiResource resource) =>
        _policies.Where(p => ObjectScope.Includes(p.Scope, obj, resource)).Select(p => p.Name).ToList();

    /// <summary>Adds the entry: protected with how, or unprotected with every reason (and what the objects layer does keep).</summary>
    private void Add(StatefulKind kind, KubeObject obj, string detail, Verdict verdict, ApiResource? resource, string? extraReason = null) =>
        _entries.Add(Entry(kind, obj.Namespace, obj.Name, detail, verdict, resource is null ? [] : ObjectsPolicies(obj, resource), extraReason));

    private CoverageEntry Entry(StatefulKind kind, string? ns, string name, string detail, Verdict verdict, IReadOnlyList<string> objects, string? extraReason)
    {
        if (verdict.Protected)
        {
            return new CoverageEntry(kind, ns, name, CoverageState.Protected, detail, string.Join("; ", verdict.How)) { ProtectedBy = verdict.By };
        }

        var reasons = new List<string>();
        if (_policies.Count == 0)
        {
            reasons.Add($"no policy in {_configuration.Source} selects cluster {_cluster.Name}");
        }
        else
        {
            reasons.AddRange(verdict.WhyNot);
        }

        if (extraReason is not null)
        {
            reasons.Add(extraReason);
        }

        if (objects.Count > 0)
        {
            reasons.Add($"its objects are backed up (objects layer of {string.Join(", ", objects)}) but not its data");
        }

        return new CoverageEntry(kind, ns, name, CoverageState.Unprotected, detail, string.Join("; ", reasons));
    }
}
