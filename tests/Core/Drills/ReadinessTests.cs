using System.Text.Json.Nodes;
using Strata.Core.Drills;
using Strata.Core.Kubernetes;

namespace Strata.Core.Tests.Drills;

/// <summary>Readiness read from status as kubectl rollout status reads it.</summary>
public sealed class ReadinessTests
{
    private static KubeObject Obj(string json) => new(JsonNode.Parse(json)!.AsObject());

    [Theory]
    [InlineData("""{"metadata":{"name":"web","generation":2},"spec":{"replicas":2},"status":{"observedGeneration":1,"replicas":2,"updatedReplicas":2,"availableReplicas":2}}""",
        AssertionState.Pending, "Waiting for deployment spec update to be observed...")]
    [InlineData("""{"metadata":{"name":"web","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"replicas":3,"updatedReplicas":1,"availableReplicas":1}}""",
        AssertionState.Pending, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...")]
    [InlineData("""{"metadata":{"name":"web","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"replicas":4,"updatedReplicas":3,"availableReplicas":3}}""",
        AssertionState.Pending, "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...")]
    [InlineData("""{"metadata":{"name":"web","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"replicas":3,"updatedReplicas":3,"availableReplicas":2}}""",
        AssertionState.Pending, "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...")]
    [InlineData("""{"metadata":{"name":"web","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"replicas":3,"updatedReplicas":3,"availableReplicas":3}}""",
        AssertionState.Met, "deployment \"web\" successfully rolled out (3 of 3 available)")]
    [InlineData("""{"metadata":{"name":"web","generation":1},"spec":{"replicas":0},"status":{"observedGeneration":1}}""",
        AssertionState.Met, "deployment \"web\" successfully rolled out (0 of 0 available)")]
    [InlineData("""{"metadata":{"name":"web","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"replicas":3,"updatedReplicas":3,"availableReplicas":0,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet \"web-5d\" has timed out progressing."}]}}""",
        AssertionState.Failed, "deployment \"web\" exceeded its progress deadline: ReplicaSet \"web-5d\" has timed out progressing.")]
    public void Deployment(string json, AssertionState state, string seen)
    {
        Assert.Equal(new AssertionReading(state, seen), Readiness.Read("deployments.apps", Obj(json)));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"data"},"spec":{"storageClassName":"managed-csi"},"status":{"phase":"Pending"}}""",
        AssertionState.Met, "phase Pending: StorageClass managed-csi binds when a pod first uses the claim (WaitForFirstConsumer)")]
    [InlineData("""{"metadata":{"name":"data"},"spec":{"storageClassName":"fast-ssd"},"status":{"phase":"Pending"}}""", AssertionState.Pending, "phase Pending")]
    [InlineData("""{"metadata":{"name":"data"},"spec":{"storageClassName":"managed-csi"},"status":{"phase":"Bound"}}""", AssertionState.Met, "phase Bound")]
    [InlineData("""{"metadata":{"name":"data"},"spec":{"storageClassName":"managed-csi"},"status":{"phase":"Lost"}}""", AssertionState.Failed, "phase Lost: its volume is gone")]
    public void Claim_WaitForFirstConsumerClass_PendingHolds(string json, AssertionState state, string seen)
    {
        Assert.Equal(new AssertionReading(state, seen), Readiness.Read("persistentvolumeclaims", Obj(json), new HashSet<string> { "managed-csi" }));
    }

    /// <summary>A claim restored from a snapshot is judged as any claim: its data source changes how it is provisioned, not when it binds.</summary>
    [Theory]
    [InlineData("managed-csi-wffc", "Pending", AssertionState.Met, "phase Pending: StorageClass managed-csi-wffc binds when a pod first uses the claim (WaitForFirstConsumer)")]
    [InlineData("managed-csi", "Pending", AssertionState.Pending, "phase Pending")]
    [InlineData("managed-csi", "Bound", AssertionState.Met, "phase Bound")]
    [InlineData("managed-csi-wffc", "Bound", AssertionState.Met, "phase Bound")]
    public void Claim_FromASnapshot_JudgedByItsPhaseAndClass(string storageClass, string phase, AssertionState state, string seen)
    {
        var claim = Obj($$$"""
            {"metadata":{"name":"data-db-0"},"spec":{"storageClassName":"{{{storageClass}}}",
             "dataSource":{"apiGroup":"snapshot.storage.k8s.io","kind":"VolumeSnapshot","name":"strata-r1-data-db-0"},
             "dataSourceRef":{"apiGroup":"snapshot.storage.k8s.io","kind":"VolumeSnapshot","name":"strata-r1-data-db-0"}},
             "status":{"phase":"{{{phase}}}"}}
            """);

        Assert.Equal(new AssertionReading(state, seen), Readiness.Read("persistentvolumeclaims", claim, new HashSet<string> { "managed-csi-wffc" }));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"db","generation":1},"spec":{"replicas":3},"status":{}}""", AssertionState.Pending, "Waiting for statefulset spec update to be observed...")]
    [InlineData("""{"metadata":{"name":"db","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"readyReplicas":1}}""", AssertionState.Pending, "Waiting for 2 pods to be ready...")]
    [InlineData("""{"metadata":{"name":"db","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"readyReplicas":3,"updatedReplicas":2,"currentRevision":"db-1","updateRevision":"db-2"}}""",
        AssertionState.Pending, "waiting for statefulset rolling update to complete 2 pods at revision db-2...")]
    [InlineData("""{"metadata":{"name":"db","generation":1},"spec":{"replicas":3,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}},"status":{"observedGeneration":1,"readyReplicas":3,"updatedReplicas":1}}""",
        AssertionState.Met, "partitioned roll out complete: 1 new pods have been updated...")]
    [InlineData("""{"metadata":{"name":"db","generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"readyReplicas":3,"updatedReplicas":3,"currentRevision":"db-1","updateRevision":"db-1"}}""",
        AssertionState.Met, "statefulset rolling update complete 3 pods at revision db-1...")]
    public void StatefulSet(string json, AssertionState state, string seen)
    {
        Assert.Equal(new AssertionReading(state, seen), Readiness.Read("statefulsets.apps", Obj(json)));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"agent","generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":2,"numberAvailable":2}}""",
        AssertionState.Pending, "Waiting for daemon set \"agent\" rollout to finish: 2 out of 3 new pods have been updated...")]
    [InlineData("""{"metadata":{"name":"agent","generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":1}}""",
        AssertionState.Pending, "Waiting for daemon set \"agent\" rollout to finish: 1 of 3 updated pods are available...")]
    [InlineData("""{"metadata":{"name":"agent","generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":3}}""",
        AssertionState.Met, "daemon set \"agent\" successfully rolled out (3 of 3 available)")]
    public void DaemonSet(string json, AssertionState state, string seen)
    {
        Assert.Equal(new AssertionReading(state, seen), Readiness.Read("daemonsets.apps", Obj(json)));
    }

    [Theory]
    [InlineData("persistentvolumeclaims", """{"status":{"phase":"Pending"}}""", AssertionState.Pending, "phase Pending")]
    [InlineData("persistentvolumeclaims", """{}""", AssertionState.Pending, "phase Pending")]
    [InlineData("persistentvolumeclaims", """{"status":{"phase":"Bound"}}""", AssertionState.Met, "phase Bound")]
    [InlineData("persistentvolumeclaims", """{"status":{"phase":"Lost"}}""", AssertionState.Failed, "phase Lost: its volume is gone")]
    [InlineData("jobs.batch", """{"status":{"active":1}}""", AssertionState.Pending, "1 active, 0 succeeded, 0 failed")]
    [InlineData("jobs.batch", """{"status":{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}}""", AssertionState.Met, "Complete=True (1 succeeded)")]
    [InlineData("jobs.batch", """{"status":{"conditions":[{"type":"Failed","status":"True","reason":"DeadlineExceeded"}]}}""", AssertionState.Failed, "Failed=True (DeadlineExceeded)")]
    [InlineData("jobs.batch", """{"spec":{"suspend":true}}""", AssertionState.Met, "suspended: not meant to run until resumed")]
    public void ClaimsAndJobs(string resource, string json, AssertionState state, string seen)
    {
        Assert.Equal(new AssertionReading(state, seen), Readiness.Read(resource, Obj(json)));
    }

    [Fact]
    public void NotFound_IsPending()
    {
        Assert.Equal(AssertionReading.Pending("not found"), Readiness.Read("deployments.apps", null));
    }
}
