using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Status;
using Strata.Core.Volumes;

namespace Strata.Core.Coverage;

/// <summary>The entries of each kind: details in words, and the rules that combine parts (a StatefulSet is as protected as its claims).</summary>
internal sealed partial class CoverageJudge
{
    /// <summary>Its StorageClass, CSI driver and the VolumeSnapshotClasses of that driver — or that there is none, so it cannot be snapshotted.</summary>
    private string ClaimDetail(KubeObject claim)
    {
        var storageClass = claim.GetString("spec.storageClassName") ?? claim.Annotation("volume.beta.kubernetes.io/storage-class");
        var volume = claim.GetString("spec.volumeName") is { Length: > 0 } volumeName ? _inventory.Volumes.GetValueOrDefault(volumeName) : null;
        var driver = volume?.GetString("spec.csi.driver")
            ?? (storageClass is null ? null : _inventory.StorageClasses.GetValueOrDefault(storageClass)?.GetString("provisioner"));
        var detail = $"StorageClass {storageClass ?? "(none)"}" + (driver is null ? "" : $", driver {driver}");
        if (driver is null)
        {
            return detail;
        }

        if (!_inventory.SnapshotsServed)
        {
            return detail + ": the cluster serves no VolumeSnapshot API, so it cannot be snapshotted";
        }

        var classes = _inventory.SnapshotClasses.Where(c => c.Json["driver"]?.GetValue<string>() == driver).Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        return classes.Count > 0
            ? detail + $", VolumeSnapshotClass {string.Join(", ", classes)}"
            : detail + ": no VolumeSnapshotClass for its driver, so it cannot be snapshotted";
    }

    /// <summary>
    /// A database pod: protected by a dump; else by snapshots of every claim it mounts (crash-consistent); else
    /// unprotected — its objects may be backed up, but not its data.
    /// </summary>
    private void DatabasePod(KubeObject pod)
    {
        var (database, image) = WorkloadShape.Database(pod.Json)!.Value;
        var verdict = new Verdict();
        verdict.Merge(_databasePods[pod.Key]);
        var claims = PodVolumes.Claims(pod).Select(c => $"{pod.Namespace}/{c}").ToList();
        string? extra = null;
        if (!verdict.Protected && claims.Count > 0)
        {
            var unprotected = claims.Where(c => !_claims.TryGetValue(c, out var v) || !v.Protected).ToList();
            if (unprotected.Count == 0)
            {
                foreach (var claim in claims)
                {
                    verdict.Merge(Protections(_claims[claim]));
                }
            }
            else
            {
                extra = $"nothing snapshots its claim(s) {string.Join(", ", unprotected.Select(c => c.Split('/', 2)[1]))}";
            }
        }

        var owner = pod.ControllerOwner is { } o ? $", {o.Kind} {o.Name}" : "";
        Add(StatefulKind.DatabasePod, pod, $"{database.Engine}, image {image}{owner}", verdict, VolumeSnapshotApi.Pods, extra);
        _podEntries[pod.Key] = _entries[^1];
    }

    private void OperatorDatabase(DatabaseOperator op, KubeObject database, Verdict dumps)
    {
        var verdict = new Verdict();
        verdict.Merge(dumps);
        var claims = _inventory.Claims.Where(c => c.Namespace == database.Namespace && c.Label(op.InstanceLabel) == database.Name).ToList();
        if (!verdict.Protected && claims.Count > 0 && claims.All(c => _claims[c.Key].Protected))
        {
            claims.ForEach(c => verdict.Merge(Protections(_claims[c.Key])));
        }

        var instances = (database.Json["spec"] as JsonObject)?["instances"] is JsonValue n && n.TryGetValue<int>(out var count) ? $", {count} instance(s)" : "";
        var resource = new ApiResource(op.Group, database.ApiVersion.Split('/').Last(), op.Resource, database.Kind, true, ["list"]);
        Add(StatefulKind.DatabaseOperator, database, $"{op.Product} ({op.Qualified}){instances}", verdict, resource);
    }

    /// <summary>
    /// StatefulSets and Deployments. A stateful one (it mounts claims or runs a database image) is protected when every
    /// part is — each claim, each database pod it runs; GitOps rebuilds its objects, never its data. A stateless one is
    /// rebuildable when GitOps manages it; a stateless StatefulSet otherwise is as protected as its objects (they are all
    /// there is to it); a stateless imperative Deployment holds no state and is not listed.
    /// </summary>
    private void Workloads(IReadOnlyList<(DatabaseOperator Operator, KubeObject Database)> operators)
    {
        var claimsByNamespace = _inventory.Claims.ToLookup(c => c.Namespace ?? "", StringComparer.Ordinal);
        foreach (var (kind, resource, workloads) in new[]
        {
            (StatefulKind.StatefulSet, ClusterInventory.StatefulSets, _inventory.StatefulSetList),
            (StatefulKind.Deployment, ClusterInventory.Deployments, _inventory.DeploymentList),
        })
        {
            foreach (var workload in workloads)
            {
                var template = WorkloadShape.Template(workload);
                if (ManagedByOperator(workload.Namespace, workload.Labels, operators) || ManagedByOperator(workload.Namespace, template.Labels, operators))
                {
                    continue; // the operator's database is listed, with its claims
                }

                var claims = WorkloadShape.Claims(workload, [.. claimsByNamespace[workload.Namespace ?? ""]]);
                var database = WorkloadShape.Database(template.Json);
                var gitOps = GitOpsClassifier.Classify(workload);
                if (claims.Count > 0 || database is not null)
                {
                    Stateful(kind, resource, workload, claims, database, gitOps);
                }
                else if (gitOps is not null)
                {
                    _entries.Add(new CoverageEntry(kind, workload.Namespace, workload.Name, CoverageState.Rebuildable, Managed(gitOps),
                        $"managed by {Manager(gitOps)} and stateless (no claims, no database): Git rebuilds it"));
                }
                else if (kind == StatefulKind.StatefulSet)
                {
                    var verdict = new Verdict();
                    foreach (var policy in ObjectsPolicies(workload, resource))
                    {
                        verdict.Protect(policy, BackupLayers.Objects, $"stateless: its objects, kept by policy {policy}, are all there is to it");
                    }

                    if (!verdict.Protected)
                    {
                        verdict.Not("no policy's objects layer takes it, and no GitOps tool manages it");
                    }

                    Add(kind, workload, "stateless (no claims, no database), not managed by GitOps", verdict, null);
                }
            }
        }
    }

    private void Stateful(StatefulKind kind, ApiResource resource, KubeObject workload, IReadOnlyList<KubeObject> claims, (DatabaseImage Database, string Image)? database, GitOpsOwner? gitOps)
    {
        var selector = WorkloadShape.MatchLabels(workload);
        var pods = database is null || selector.Count == 0
            ? []
            : _inventory.Pods.Where(p => p.Namespace == workload.Namespace && _databasePods.ContainsKey(p.Key) && selector.All(l => p.Label(l.Key) == l.Value)).ToList();
        var parts = claims.Select(c => (What: $"claim {c.Name}", Verdict: _claims[c.Key]))
            .Concat(pods.Select(p => (What: $"pod {p.Name}", Verdict: PodVerdict(p)))).ToList();
        var verdict = new Verdict();
        var missing = parts.Where(p => !p.Verdict.Protected).Select(p => p.What).ToList();
        if (parts.Count > 0 && missing.Count == 0)
        {
            parts.ForEach(p => verdict.Merge(Protections(p.Verdict)));
        }
        else if (parts.Count == 0)
        {
            verdict.Not($"it runs {database!.Value.Database.Engine}, and no pod of it runs to be dumped");
        }
        else
        {
            verdict.Not($"nothing protects its {string.Join(", ", missing)}");
        }

        var detail = (claims.Count > 0 ? $"{claims.Count} claim(s)" : "no claims")
            + (database is { } d ? $", {d.Database.Engine} (image {d.Image})" : "")
            + (gitOps is null ? "" : ", " + Managed(gitOps));
        Add(kind, workload, detail, verdict, resource, gitOps is null ? null : $"{Manager(gitOps)} rebuilds its objects from Git, not its data");
    }

    /// <summary>A database pod's final verdict, as its entry says it.</summary>
    private Verdict PodVerdict(KubeObject pod) =>
        _podEntries.GetValueOrDefault(pod.Key) is { State: CoverageState.Protected } entry ? Lent(entry) : _databasePods[pod.Key];

    private static Verdict Lent(CoverageEntry entry)
    {
        var verdict = new Verdict();
        foreach (var by in entry.ProtectedBy)
        {
            verdict.Protect(by.Policy, by.Layer, entry.Reason);
        }

        return verdict;
    }

    /// <summary>etcd of a self-managed control plane: seen as static pods, or named by the cluster's <c>etcd:</c> in strata.yaml.</summary>
    private void Etcd()
    {
        if (_inventory.EtcdPods.Count == 0 && _cluster.Etcd is null)
        {
            return; // a managed control plane (AKS, EKS, GKE) or one whose etcd the API does not show: nothing Strata could reach
        }

        var verdict = new Verdict();
        foreach (var policy in _policies.Where(p => p.Etcd is not null))
        {
            if (!policy.Etcd!.Snapshot)
            {
                verdict.Not($"policy {policy.Name} takes only the control-plane files (etcd.snapshot: false)");
            }
            else if (_cluster.Etcd is null)
            {
                verdict.Not($"policy {policy.Name} takes the etcd layer, but cluster {_cluster.Name} has no etcd: settings in strata.yaml, so Strata cannot reach its members");
            }
            else
            {
                verdict.Protect(policy.Name, BackupLayers.Etcd, $"snapshotted by policy {policy.Name} through etcd's API");
            }
        }

        if (_policies.Count > 0 && !_policies.Any(p => p.Etcd is not null))
        {
            verdict.Not($"no policy selecting cluster {_cluster.Name} takes the etcd layer (etcd:)");
        }

        var detail = string.Join("; ", new[]
        {
            _inventory.EtcdPods.Count > 0 ? $"static pod(s) {string.Join(", ", _inventory.EtcdPods.Select(p => p.Name).Order(StringComparer.Ordinal))} in kube-system" : null,
            // A count, not the endpoints: they are addresses of the control plane, and the detail reaches the page and /status.
            _cluster.Etcd is { } access ? $"{access.Endpoints.Count} etcd endpoint(s) configured" : "no etcd: settings in strata.yaml",
        }.OfType<string>());
        var objects = _policies.Any(p => p.Scope.AllNamespaces) ? "its API objects are backed up (objects layer), but rebuilding the whole control plane needs a snapshot" : null;
        _entries.Add(Entry(StatefulKind.Etcd, null, "etcd", detail, verdict, [], objects));
    }

    private static string Managed(GitOpsOwner owner) => $"managed by {Manager(owner)} ({owner.Application})";

    private static string Manager(GitOpsOwner owner) => owner.Manager == GitOpsManager.ArgoCd ? "Argo CD" : "Flux";
}
