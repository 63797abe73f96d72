using System.Text.Json.Nodes;
using Strata.Core.ControlPlane;
using Strata.Core.Kubernetes;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Tests.ControlPlane;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Drills;

/// <summary>
/// Drills on the TestKit fakes: the control plane of <see cref="ControlPlaneFakes"/> with a policy "nightly"
/// whose <c>verification.drill</c> the test writes; "prod" holds a small application (a Deployment, a
/// StatefulSet, a claim bound to its volume, a Job, RBAC), "dr" is empty. The clock steps on every wait
/// (<see cref="TestKit.ManualClock.StepOnTimers"/>), so times measured in a drill are exact; the clusters'
/// <see cref="Rollout"/> plays the controllers: each object is ready at its Nth look.
/// </summary>
internal sealed class DrillFakes
{
    private DrillFakes(ControlPlaneFakes plane) => Plane = plane;

    public ControlPlaneFakes Plane { get; }

    public RecordingCluster Prod { get; private set; } = null!;

    public RecordingCluster Dr { get; private set; } = null!;

    /// <summary>Looks at which each object (by name) is ready; absent: at the first. <see cref="int.MaxValue"/>: never.</summary>
    public Dictionary<string, int> ReadyAtLook { get; } = new(StringComparer.Ordinal);

    /// <summary>Jobs (by name) that fail instead of completing.</summary>
    public HashSet<string> FailingJobs { get; } = new(StringComparer.Ordinal);

    /// <summary>Every claim as the first look saw it.</summary>
    public List<JsonObject> ClaimsSeen { get; } = [];

    public static async Task<DrillFakes> CreateAsync(string drill = "{}", string extra = "")
    {
        var plane = ControlPlaneFakes.Create(string.Join('\n',
            "  - name: nightly",
            "    clusters: [prod]",
            "    schedule: \"30 2 * * *\"",
            "    verification:",
            $"      drill: {drill}",
            extra));
        plane.Clock.StepOnTimers = true;
        var fakes = new DrillFakes(plane);
        fakes.Prod = await fakes.ClusterAsync("prod", seeded: true);
        fakes.Dr = await fakes.ClusterAsync("dr", seeded: false);
        return fakes;
    }

    /// <summary>Backs prod up through the control plane's workers (backup, then verification): a verified backup.</summary>
    public async Task<BackupRecord> BackUpAsync(string id = "ci-1")
    {
        var request = Plane.Request(id);
        await InlinePipeline.RunAsync(Plane.Context, request);
        var record = await Plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request));
        Assert.Equal(BackupStatus.Verified, record!.Status);
        return record;
    }

    /// <summary>Asks the verify worker for a drill of <paramref name="backup"/>, as a message would.</summary>
    public async Task<(DrillRecord? Drill, FunctionResult Result, Envelope Request)> DrillAsync(BackupRecord backup, string id = "drill-request-1")
    {
        var request = new Envelope(id, id, Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, backup.Cluster, backup.Policy, VerificationKind.Drill));
        var result = await VerifyWorker.HandleAsync(Plane.Context, ControlPlaneFakes.Delivery(request));
        return (await Plane.History.FindDrillAsync(DrillWorker.DrillIdFor(request)), result, request);
    }

    public static ApiResource Type(string qualified) => RecordingCluster.BuiltIn.Single(r => r.QualifiedName == qualified);

    public static JsonObject Object(string apiVersion, string kind, string? ns, string name, JsonObject? spec = null, Action<JsonObject>? extra = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
        if (spec is not null)
        {
            obj["spec"] = spec;
        }

        extra?.Invoke(obj);
        return obj;
    }

    private async Task<RecordingCluster> ClusterAsync(string name, bool seeded)
    {
        var cluster = new RecordingCluster { CreateLatency = TimeSpan.Zero };
        cluster.Controller = Rollout;
        Plane.Clusters.Clusters[name] = cluster;
        if (!seeded)
        {
            return cluster;
        }

        await cluster.CreateAsync(Type("namespaces"), null, Object("v1", "Namespace", null, "shop",
            extra: o => o["metadata"]!["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = "shop" }));
        await cluster.CreateAsync(Type("storageclasses.storage.k8s.io"), null, Object("storage.k8s.io/v1", "StorageClass", null, "fast", extra: o => o["provisioner"] = "disk.csi.example.com"));
        await cluster.CreateAsync(Type("clusterroles.rbac.authorization.k8s.io"), null, Object("rbac.authorization.k8s.io/v1", "ClusterRole", null, "reader",
            extra: o => o["rules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("get") })));
        await cluster.CreateAsync(Type("clusterroles.rbac.authorization.k8s.io"), null, Object("rbac.authorization.k8s.io/v1", "ClusterRole", null, "writer"));
        await cluster.CreateAsync(Type("persistentvolumes"), null, Object("v1", "PersistentVolume", null, "pv-data", new JsonObject
        {
            ["storageClassName"] = "fast",
            ["claimRef"] = new JsonObject { ["namespace"] = "shop", ["name"] = "data" },
        }));
        await cluster.CreateAsync(Type("persistentvolumeclaims"), "shop", Object("v1", "PersistentVolumeClaim", "shop", "data", new JsonObject
        {
            ["storageClassName"] = "fast",
            ["volumeName"] = "pv-data",
        }, o => o["metadata"]!["annotations"] = new JsonObject { ["pv.kubernetes.io/bind-completed"] = "yes" }));
        await cluster.CreateAsync(Type("deployments.apps"), "shop", Object("apps/v1", "Deployment", "shop", "web", new JsonObject { ["replicas"] = 2 },
            o => o["status"] = new JsonObject { ["replicas"] = 2, ["availableReplicas"] = 2 }));
        await cluster.CreateAsync(Type("statefulsets.apps"), "shop", Object("apps/v1", "StatefulSet", "shop", "db", new JsonObject { ["replicas"] = 3 }));
        await cluster.CreateAsync(Type("jobs.batch"), "shop", Object("batch/v1", "Job", "shop", "migrate", new JsonObject()));
        await cluster.CreateAsync(Type("configmaps"), "shop", Object("v1", "ConfigMap", "shop", "web-config", extra: o => o["data"] = new JsonObject { ["THEME"] = "dark" }));
        foreach (var role in new[] { "reader", "writer" })
        {
            await cluster.CreateAsync(Type("rolebindings.rbac.authorization.k8s.io"), "shop", Object("rbac.authorization.k8s.io/v1", "RoleBinding", "shop", $"web-{role}",
                extra: o => o["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role }));
        }

        return cluster;
    }

    /// <summary>The controllers, as far as a drill looks: status moves to ready at the object's Nth look (in scratch namespaces only).</summary>
    private void Rollout(string key, JsonObject obj)
    {
        var parts = key.Split('/');
        var (resource, ns, name) = (parts[0], parts[1], parts[2]);
        if (!ns.StartsWith("drill-", StringComparison.Ordinal) && !ns.StartsWith("rehearsal-", StringComparison.Ordinal))
        {
            return;
        }

        var metadata = obj["metadata"]!.AsObject();
        var looks = (metadata["looks"]?.GetValue<int>() ?? 0) + 1;
        metadata["looks"] = looks; // kept on the fake's object, as a count
        metadata["generation"] ??= 1;
        if (resource == "persistentvolumeclaims" && looks == 1)
        {
            ClaimsSeen.Add(obj.DeepClone().AsObject());
        }

        var ready = looks >= ReadyAtLook.GetValueOrDefault(name, 1);
        var desired = obj["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        var have = ready ? desired : 0;
        obj["status"] = resource switch
        {
            "deployments.apps" => new JsonObject { ["observedGeneration"] = 1, ["replicas"] = desired, ["updatedReplicas"] = desired, ["readyReplicas"] = have, ["availableReplicas"] = have },
            "statefulsets.apps" => new JsonObject
            {
                ["observedGeneration"] = 1, ["replicas"] = desired, ["readyReplicas"] = have, ["updatedReplicas"] = have,
                ["currentRevision"] = "db-1", ["updateRevision"] = "db-1",
            },
            "persistentvolumeclaims" => new JsonObject { ["phase"] = ready ? "Bound" : "Pending" },
            "jobs.batch" when ready => new JsonObject
            {
                ["conditions"] = new JsonArray(FailingJobs.Contains(name)
                    ? new JsonObject { ["type"] = "Failed", ["status"] = "True", ["reason"] = "BackoffLimitExceeded", ["message"] = "Job has reached the specified backoff limit" }
                    : new JsonObject { ["type"] = "Complete", ["status"] = "True" }),
                ["succeeded"] = FailingJobs.Contains(name) ? 0 : 1,
            },
            "jobs.batch" => new JsonObject { ["active"] = 1 },
            _ => obj["status"]?.DeepClone(),
        };
    }
}
