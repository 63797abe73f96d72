using System.Text.Json.Nodes;

namespace Strata.Sandbox.Tests.Controllers;

public class WorkloadControllerTests
{
    private const string Deployments = "/apis/apps/v1/namespaces/drill/deployments";

    [Fact]
    public async Task Deployment_ReadyOnlyAfterTheDelay_ThenAvailable()
    {
        await using var s = await SandboxSession.StartAsync(
            new SandboxOptions { Controllers = new SimulatedControllers { WorkloadReadyDelay = TimeSpan.FromMinutes(2) } }, "drill");

        var (code, _) = await s.PostAsync(Deployments, Fixtures.Deployment("drill", "web", replicas: 3));
        var (_, rolling) = await s.GetAsync($"{Deployments}/web");
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(200); // the controllers' loop polls the clock meanwhile: a minute is not enough
        var (_, stillRolling) = await s.GetAsync($"{Deployments}/web");
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, ready) = await s.UntilAsync($"{Deployments}/web", (_, d) => d.Str("status.readyReplicas") == "3");

        Assert.Equal(201, code);
        Assert.Equal(("1", "3", "3", null, "3"), (rolling.Str("status.observedGeneration"), rolling.Str("status.replicas"),
            rolling.Str("status.updatedReplicas"), rolling.Str("status.readyReplicas"), rolling.Str("status.unavailableReplicas")));
        Assert.Equal(("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."), rolling.Condition("Available"));
        Assert.Equal(("True", "ReplicaSetUpdated"), rolling.StatusAndReason("Progressing"));
        Assert.Null(stillRolling.Str("status.readyReplicas"));
        Assert.Equal(("3", "3", "3", null), (ready.Str("status.availableReplicas"), ready.Str("status.updatedReplicas"),
            ready.Str("status.replicas"), ready.Str("status.unavailableReplicas")));
        Assert.Equal(("True", "MinimumReplicasAvailable", "Deployment has minimum availability."), ready.Condition("Available"));
        var (progressing, reason, message) = ready.Condition("Progressing");
        Assert.Equal(("True", "NewReplicaSetAvailable"), (progressing, reason));
        Assert.Matches("^ReplicaSet \"web-[bcdfghjklmnpqrstvwxz2456789]+\" has successfully progressed\\.$", message);
        Assert.Equal(["Available", "Progressing"], ready["status"]!["conditions"]!.AsArray().Select(c => c.Str("type")));
        Assert.NotEqual(rolling.Str("metadata.resourceVersion"), ready.Str("metadata.resourceVersion"));
    }

    [Fact]
    public async Task Deployment_NeverReady_ReportsProgressDeadlineExceeded()
    {
        await using var s = await SandboxSession.StartAsync(
            new SandboxOptions { Controllers = new SimulatedControllers { NeverReady = w => w.Labels.GetValueOrDefault("drill") == "broken" } }, "drill");
        var broken = Fixtures.Deployment("drill", "broken");
        broken["metadata"]!["labels"]!["drill"] = "broken";

        await s.PostAsync(Deployments, broken);
        await s.PostAsync(Deployments, Fixtures.Deployment("drill", "healthy"));
        var (_, stalled) = await s.GetAsync($"{Deployments}/broken");
        var (_, healthy) = await s.GetAsync($"{Deployments}/healthy");

        Assert.Equal(("1", "2", null, null, "2"), (stalled.Str("status.observedGeneration"), stalled.Str("status.replicas"),
            stalled.Str("status.readyReplicas"), stalled.Str("status.availableReplicas"), stalled.Str("status.unavailableReplicas")));
        Assert.Equal(("False", "MinimumReplicasUnavailable"), stalled.StatusAndReason("Available"));
        var (progressing, reason, message) = stalled.Condition("Progressing");
        Assert.Equal(("False", "ProgressDeadlineExceeded"), (progressing, reason));
        Assert.Matches("^ReplicaSet \"broken-[a-z0-9]+\" has timed out progressing\\.$", message);
        Assert.Equal("2", healthy.Str("status.availableReplicas"));
    }

    [Fact]
    public async Task Deployment_SpecChange_IsObservedAndReadyAgain()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers() }, "drill");
        await s.PostAsync(Deployments, Fixtures.Deployment("drill", "web"));
        var (_, first) = await s.GetAsync($"{Deployments}/web");

        var (_, patched) = await s.MergePatchAsync($"{Deployments}/web", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 4 } });
        var (_, relabelled) = await s.MergePatchAsync($"{Deployments}/web",
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["note"] = "x" } } });
        var (_, second) = await s.GetAsync($"{Deployments}/web");

        Assert.Equal(("1", "2"), (first.Str("status.observedGeneration"), first.Str("status.readyReplicas")));
        Assert.Equal("2", patched.Str("metadata.generation"));
        Assert.Equal("2", relabelled.Str("metadata.generation"));
        Assert.Equal(("2", "4", "4"), (second.Str("status.observedGeneration"), second.Str("status.readyReplicas"), second.Str("status.availableReplicas")));
        var managers = second["metadata"]!["managedFields"]!.AsArray().Select(e => (e.Str("manager"), e.Str("subresource"))).ToList();
        Assert.Contains(("kube-controller-manager", "status"), managers);
        Assert.Contains(managers, m => m.Item2 is null);
    }

    [Fact]
    public async Task StatefulSetDaemonSetReplicaSet_ReportTheirOwnReadyFields()
    {
        await using var s = await SandboxSession.StartAsync(
            new SandboxOptions { Controllers = new SimulatedControllers { NodeCount = 4, NeverReady = w => w.Name == "db-stuck" } }, "drill");

        await s.PostAsync("/apis/apps/v1/namespaces/drill/statefulsets", Fixtures.PodController("apps/v1", "StatefulSet", "drill", "db", spec => spec["replicas"] = 3));
        await s.PostAsync("/apis/apps/v1/namespaces/drill/statefulsets", Fixtures.PodController("apps/v1", "StatefulSet", "drill", "db-stuck", spec => spec["replicas"] = 3));
        await s.PostAsync("/apis/apps/v1/namespaces/drill/daemonsets", Fixtures.PodController("apps/v1", "DaemonSet", "drill", "agent"));
        await s.PostAsync("/apis/apps/v1/namespaces/drill/replicasets", Fixtures.PodController("apps/v1", "ReplicaSet", "drill", "rs", spec => spec["replicas"] = 2));
        var (_, sts) = await s.GetAsync("/apis/apps/v1/namespaces/drill/statefulsets/db");
        var (_, stuck) = await s.GetAsync("/apis/apps/v1/namespaces/drill/statefulsets/db-stuck");
        var (_, ds) = await s.GetAsync("/apis/apps/v1/namespaces/drill/daemonsets/agent");
        var (_, rs) = await s.GetAsync("/apis/apps/v1/namespaces/drill/replicasets/rs");

        Assert.Equal(("1", "3", "3", "3", "3", "3"), (sts.Str("status.observedGeneration"), sts.Str("status.replicas"), sts.Str("status.readyReplicas"),
            sts.Str("status.currentReplicas"), sts.Str("status.updatedReplicas"), sts.Str("status.availableReplicas")));
        Assert.StartsWith("db-", sts.Str("status.updateRevision"));
        Assert.Equal(sts.Str("status.updateRevision"), sts.Str("status.currentRevision"));
        // OrderedReady: pod 0 is started and never gets ready, so no other is.
        Assert.Equal(("1", null, "0"), (stuck.Str("status.replicas"), stuck.Str("status.readyReplicas"), stuck.Str("status.availableReplicas")));
        Assert.Equal(("4", "4", "4", "4", "4", "0"), (ds.Str("status.desiredNumberScheduled"), ds.Str("status.currentNumberScheduled"),
            ds.Str("status.numberReady"), ds.Str("status.numberAvailable"), ds.Str("status.updatedNumberScheduled"), ds.Str("status.numberMisscheduled")));
        Assert.Equal("1", ds.Str("status.observedGeneration"));
        Assert.Equal(("2", "2", "2", "1"), (rs.Str("status.replicas"), rs.Str("status.readyReplicas"), rs.Str("status.availableReplicas"), rs.Str("status.observedGeneration")));
    }

    [Fact]
    public async Task Controllers_OffByDefault_StatusIsLeftAsGiven()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions(), "drill");

        await s.PostAsync(Deployments, Fixtures.Deployment("drill", "web"));
        s.Clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(100);
        var (_, web) = await s.GetAsync($"{Deployments}/web");

        Assert.Null(web["status"]);
    }
}
