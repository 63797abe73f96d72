using System.Text.Json.Nodes;
using Strata.TestKit;

namespace Strata.Sandbox.Tests.Controllers;

public class KubeletTests
{
    private const string Pods = "/api/v1/namespaces/kube-system/pods";
    private const string V5 = "v5.channel.k8s.io";

    private static SandboxOptions Options(SimulatedKubelet kubelet) => new() { Controllers = new SimulatedControllers { Kubelet = kubelet } };

    [Fact]
    public async Task Pod_OnANode_IsPendingThenRunsAfterTheDelay()
    {
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet { StartDelay = TimeSpan.FromSeconds(5) }));

        await s.PostAsync(Pods, Pod("reader", node: "cp-1"));
        var (_, pending) = await s.GetAsync($"{Pods}/reader");
        s.Clock.Advance(TimeSpan.FromSeconds(5));
        var (_, running) = await s.UntilAsync($"{Pods}/reader", (_, p) => p.Str("status.phase") == "Running");

        Assert.Equal(("Pending", "ContainerCreating", "False"), (pending.Str("status.phase"), pending.Str("status.containerStatuses.0.state.waiting.reason"), pending.Condition("Ready").Status));
        Assert.Equal(("True", "Burstable"), (pending.Condition("PodScheduled").Status, pending.Str("status.qosClass")));
        Assert.Equal(("true", "true", "files"), (running.Str("status.containerStatuses.0.ready"), running.Str("status.containerStatuses.0.started"), running.Str("status.containerStatuses.0.name")));
        Assert.NotNull(running.Str("status.containerStatuses.0.state.running.startedAt"));
        Assert.Equal(["True", "True", "True", "True", "True"], running["status"]!["conditions"]!.AsArray().Select(c => c.Str("status")));
        Assert.NotNull(running.Str("status.podIP"));
        Assert.Equal(pending.Str("status.startTime"), running.Str("status.startTime"));
    }

    [Fact]
    public async Task Pod_WithoutANode_KeepsItsStatus()
    {
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet()));

        await s.PostAsync(Pods, Pod("unscheduled", node: null));
        var (_, pod) = await s.GetAsync($"{Pods}/unscheduled");

        Assert.Null(pod.Str("status.phase"));
    }

    [Fact]
    public async Task Pod_WhoseImageCannotBePulled_WaitsOnErrImagePull()
    {
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet { ImagePullFails = p => p.Field("spec.containers.0.image") == "registry.invalid/busybox:1" }));

        await s.PostAsync(Pods, Pod("reader", node: "cp-1", image: "registry.invalid/busybox:1"));
        var (_, pod) = await s.GetAsync($"{Pods}/reader");

        Assert.Equal(("Pending", "ErrImagePull"), (pod.Str("status.phase"), pod.Str("status.containerStatuses.0.state.waiting.reason")));
        Assert.Contains("failed to pull and unpack image \"registry.invalid/busybox:1\"", pod.Str("status.containerStatuses.0.state.waiting.message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pod_ThatFails_IsFailedWithItsContainerTerminated()
    {
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet { Fails = _ => true }));

        await s.PostAsync(Pods, Pod("reader", node: "cp-1"));
        var (_, pod) = await s.GetAsync($"{Pods}/reader");

        Assert.Equal(("Failed", "1", "Error"), (pod.Str("status.phase"), pod.Str("status.containerStatuses.0.state.terminated.exitCode"), pod.Str("status.containerStatuses.0.state.terminated.reason")));
    }

    [Fact]
    public async Task Pod_PastItsActiveDeadline_IsStopped()
    {
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet()));

        await s.PostAsync(Pods, Pod("reader", node: "cp-1", activeDeadlineSeconds: 300));
        var (_, running) = await s.GetAsync($"{Pods}/reader");
        s.Clock.Advance(TimeSpan.FromSeconds(300));
        var (_, stopped) = await s.UntilAsync($"{Pods}/reader", (_, p) => p.Str("status.phase") == "Failed");

        Assert.Equal("Running", running.Str("status.phase"));
        Assert.Equal(("DeadlineExceeded", "Pod was active on the node longer than the specified deadline"), (stopped.Str("status.reason"), stopped.Str("status.message")));
    }

    [Fact]
    public async Task Pod_HostPathReader_StoredAsSent()
    {
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet()));
        var sent = Pod("reader", node: "cp-1", activeDeadlineSeconds: 300);

        await s.PostAsync(Pods, sent);
        var (_, stored) = await s.GetAsync($"{Pods}/reader");

        Assert.True(JsonNode.DeepEquals(sent["spec"], stored["spec"]), stored["spec"]!.ToJsonString());
    }

    [Fact]
    public async Task Delete_WithGracePeriodSecondsZero_RemovesThePod()
    {
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet()));
        await s.PostAsync(Pods, Pod("by-query", node: "cp-1"));
        await s.PostAsync(Pods, Pod("by-body", node: "cp-1"));

        var (byQuery, _) = await s.DeleteAsync($"{Pods}/by-query?gracePeriodSeconds=0");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{Pods}/by-body")
        {
            Content = new StringContent("""{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0}""", System.Text.Encoding.UTF8, "application/json"),
        };
        using var byBody = await s.Http.SendAsync(request);

        Assert.Equal((200, 200), (byQuery, (int)byBody.StatusCode));
        Assert.Equal((404, 404), ((await s.GetAsync($"{Pods}/by-query")).Status, (await s.GetAsync($"{Pods}/by-body")).Status));
    }

    [Fact]
    public async Task Exec_InARunningPod_RunsAgainstItsNodesFolder()
    {
        using var folder = new TempDirectory();
        folder.File("admin.conf", "kind: Config\n");
        Directory.CreateDirectory(Path.Combine(folder.Path, "pki"));
        var exec = new NodeFilesExec(new Dictionary<string, string> { ["cp-1"] = folder.Path });
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet()) with { PodExec = exec.RunAsync });
        await s.PostAsync(Pods, Pod("reader", node: "cp-1"));
        await s.PostAsync(Pods, Pod("elsewhere", node: "worker-1"));

        using var listing = await ExecWire.OpenAsync(s.Server, "kube-system", "reader",
            ExecWire.Query(["sh", "-c", "cd \"$0\" && ls", "/host/etc/kubernetes"]), V5);
        using var cat = await ExecWire.OpenAsync(s.Server, "kube-system", "reader", ExecWire.Query(["cat", "/host/etc/kubernetes/admin.conf"]), V5);
        using var other = await ExecWire.OpenAsync(s.Server, "kube-system", "elsewhere", ExecWire.Query(["ls", "/host/etc/kubernetes"]), V5);

        Assert.Equal("admin.conf\npki\n", (await listing.ReadToEndAsync()).Text(1));
        Assert.Equal("kind: Config\n", (await cat.ReadToEndAsync()).Text(1));
        var refused = await other.ReadToEndAsync();
        Assert.Contains("No such file or directory", refused.Text(2), StringComparison.Ordinal);
        Assert.Equal("NonZeroExitCode", refused.Status.Str("reason"));
    }

    [Fact]
    public async Task Exec_InAPodStillStarting_IsRefused()
    {
        await using var s = await SandboxSession.StartAsync(Options(new SimulatedKubelet { StartDelay = TimeSpan.FromMinutes(1) }) with { PodExec = PodExecHandlers.Answer("ran") });
        await s.PostAsync(Pods, Pod("reader", node: "cp-1"));

        using var wire = await ExecWire.OpenAsync(s.Server, "kube-system", "reader", ExecWire.Query(["true"]), V5);
        var transcript = await wire.ReadToEndAsync();

        Assert.Equal("", transcript.Text(1));
        Assert.Contains("container not found", transcript.Status.Str("message"), StringComparison.Ordinal);
    }

    private static JsonObject Pod(string name, string? node, string image = "busybox:1.36", int? activeDeadlineSeconds = null)
    {
        var spec = new JsonObject
        {
            ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["operator"] = "Exists", ["effect"] = "NoSchedule" }),
            ["restartPolicy"] = "Never",
            ["automountServiceAccountToken"] = false,
            ["hostNetwork"] = false,
            ["terminationGracePeriodSeconds"] = 0,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "files",
                ["image"] = image,
                ["command"] = new JsonArray("sleep", "300"),
                ["securityContext"] = new JsonObject
                {
                    ["runAsUser"] = 0,
                    ["privileged"] = false,
                    ["allowPrivilegeEscalation"] = false,
                    ["readOnlyRootFilesystem"] = true,
                    ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                },
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "10m" }, ["limits"] = new JsonObject { ["cpu"] = "200m" } },
                ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "host", ["mountPath"] = "/host/etc/kubernetes", ["readOnly"] = true }),
            }),
            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "host", ["hostPath"] = new JsonObject { ["path"] = "/etc/kubernetes", ["type"] = "Directory" } }),
        };
        if (node is not null)
        {
            spec["nodeName"] = node;
        }

        if (activeDeadlineSeconds is { } deadline)
        {
            spec["activeDeadlineSeconds"] = deadline;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "kube-system" },
            ["spec"] = spec,
        };
    }
}
