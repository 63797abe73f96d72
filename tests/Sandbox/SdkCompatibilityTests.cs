using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Strata.Sandbox.Tests;

/// <summary>
/// The sandbox as the official C# client sees it: <see cref="Kubernetes"/> built from the
/// sandbox's kubeconfig by the SDK's own loader, typed calls, typed models, <c>Status</c> errors.
/// </summary>
public class SdkCompatibilityTests : IAsyncLifetime
{
    private SandboxApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        using var kubeconfig = new MemoryStream(Encoding.UTF8.GetBytes(_server.Kubeconfig()));
        _client = new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(kubeconfig));
        _server.CreateNamespace("shop");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static V1ConfigMap ConfigMap(string name, string? tier = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = tier is null ? null : new Dictionary<string, string> { ["tier"] = tier } },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    private static V1Status StatusOf(HttpOperationException error) => KubernetesJson.Deserialize<V1Status>(error.Response.Content);

    [Fact]
    public async Task Version_AndDiscovery_DeserializeIntoTheModels()
    {
        var version = await _client.Version.GetCodeAsync();
        var core = await _client.Core.GetAPIVersionsAsync();
        var groups = await _client.Apis.GetAPIVersionsAsync();
        var apps = await _client.AppsV1.GetAPIResourcesAsync();

        Assert.Equal("v1.31.4", version.GitVersion);
        Assert.Equal(["v1"], core.Versions);
        Assert.Equal("v2", groups.Groups.Single(g => g.Name == "autoscaling").PreferredVersion.Version);
        Assert.Contains(apps.Resources, r => r.Name == "deployments" && r.Namespaced && r.ShortNames.Contains("deploy"));
    }

    [Fact]
    public async Task ListNamespace_WithLimit_PagesThroughContinueTokens()
    {
        for (var i = 0; i < 7; i++)
        {
            await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = $"team-{i}" } });
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _client.CoreV1.ListNamespaceAsync(limit: 3, continueParameter: token);
            names.AddRange(page.Items.Select(n => n.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(4, pages); // 12 namespaces: the 4 every server has, shop, and 7 teams
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("team-6", names);
        Assert.All((await _client.CoreV1.ListNamespaceAsync()).Items, n => Assert.Equal("Active", n.Status?.Phase));
    }

    [Fact]
    public async Task Get_MissingObject_Is404WithAStatus()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedConfigMapAsync("nope", "shop"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Response.StatusCode);
        var status = StatusOf(error);
        Assert.Equal(("Failure", "NotFound", 404), (status.Status, status.Reason, status.Code));
        Assert.Equal(("nope", "configmaps"), (status.Details.Name, status.Details.Kind));
        Assert.Equal("configmaps \"nope\" not found", status.Message);
    }

    [Fact]
    public async Task CreateAndReplace_RoundTripTheModel_AndAStaleVersionConflicts()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("settings"), "shop");
        var before = created.Metadata.ResourceVersion;
        created.Data["k"] = "v2";

        var replaced = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "settings", "shop");
        var read = await _client.CoreV1.ReadNamespacedConfigMapAsync("settings", "shop");
        created.Metadata.ResourceVersion = before;
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "settings", "shop"));

        Assert.NotNull(created.Metadata.Uid);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(("ConfigMap", "v1"), (created.Kind, created.ApiVersion));
        Assert.NotEqual(before, replaced.Metadata.ResourceVersion);
        Assert.Equal("v2", read.Data["k"]);
        Assert.Equal("Conflict", StatusOf(conflict).Reason);
    }

    [Fact]
    public async Task LabelSelectors_FilterTypedLists()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("web", "frontend"), "shop");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("redis", "cache"), "shop");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("plain"), "shop");

        async Task<string[]> Names(string selector) =>
            [.. (await _client.CoreV1.ListNamespacedConfigMapAsync("shop", labelSelector: selector)).Items.Select(c => c.Metadata.Name)];

        Assert.Equal(["redis", "web"], await Names("tier in (frontend,cache)"));
        Assert.Equal(["plain", "web"], await Names("tier!=cache"));
        Assert.Equal(["plain"], await Names("!tier"));
        Assert.Equal(["web"], (await _client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.name=web")).Items.Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task PodsAndJobs_TypedCreateListDelete()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "debug", Labels = new Dictionary<string, string> { ["app"] = "debug" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "shell", Image = "busybox", Command = ["sleep", "3600"] }] },
        };
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "migrate" },
            Spec = new V1JobSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "migrate", Image = "migrate:1" }] },
                },
            },
        };

        await _client.CoreV1.CreateNamespacedPodAsync(pod, "shop");
        var createdJob = await _client.BatchV1.CreateNamespacedJobAsync(job, "shop");
        var pods = await _client.CoreV1.ListNamespacedPodAsync("shop", labelSelector: "app=debug");
        var jobs = await _client.BatchV1.ListNamespacedJobAsync("shop");
        var deletedPod = await _client.CoreV1.DeleteNamespacedPodAsync("debug", "shop");
        var deletedJob = await _client.BatchV1.DeleteNamespacedJobAsync("migrate", "shop");

        Assert.Equal(1, createdJob.Metadata.Generation);
        Assert.Equal("shell", Assert.Single(pods.Items).Spec.Containers[0].Name);
        Assert.Equal("migrate", Assert.Single(jobs.Items).Metadata.Name);
        Assert.Equal(("Pod", "debug"), (deletedPod.Kind, deletedPod.Metadata.Name)); // pods answer a delete with the object, as kube-apiserver does
        Assert.Equal("Success", deletedJob.Status);
        Assert.Empty((await _client.CoreV1.ListNamespacedPodAsync("shop")).Items);
    }

    [Fact]
    public async Task CustomResources_ThroughTheCustomObjectsApi()
    {
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(SampleApplication.WidgetCrd().ToJsonString());
        var created = await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var widget = SampleApplication.Widget("shop", "checkout", 3);

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "demo.strata.dev", "v1", "shop", "widgets");
        var list = (JsonElement)await _client.CustomObjects.ListNamespacedCustomObjectAsync("demo.strata.dev", "v1", "shop", "widgets");
        var patched = (JsonElement)await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"metadata":{"labels":{"patched":"yes"}}}""", V1Patch.PatchType.MergePatch), "demo.strata.dev", "v1", "shop", "widgets", "checkout");
        var read = (JsonElement)await _client.CustomObjects.GetNamespacedCustomObjectAsync("demo.strata.dev", "v1", "shop", "widgets", "checkout");
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("demo.strata.dev", "v1", "shop", "widgets", "checkout");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CustomObjects.GetNamespacedCustomObjectAsync("demo.strata.dev", "v1", "shop", "widgets", "checkout"));

        Assert.Contains(created.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        var item = list.GetProperty("items")[0];
        Assert.Equal(("Widget", "demo.strata.dev/v1"), (item.GetProperty("kind").GetString(), item.GetProperty("apiVersion").GetString()));
        Assert.Equal("yes", patched.GetProperty("metadata").GetProperty("labels").GetProperty("patched").GetString());
        Assert.Equal("checkout", read.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("NotFound", StatusOf(missing).Reason);
    }

    [Fact]
    public async Task DeleteNamespace_AnswersWithTheTerminatingNamespace_ThenReadIs404()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "scratch" } });

        var answer = await _client.CoreV1.DeleteNamespaceAsync("scratch");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespaceAsync("scratch"));

        var ns = answer.ObjectView<V1Namespace>();
        Assert.Equal(("scratch", "Terminating"), (ns.Metadata.Name, ns.Status.Phase));
        Assert.NotNull(ns.Metadata.DeletionTimestamp);
        Assert.Equal("NotFound", StatusOf(missing).Reason);
    }

    [Fact]
    public async Task DryRunCreate_RefusedByAWebhook_SurfacesTheStatus()
    {
        await using var server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            Admission = [new AdmissionWebhook("deny-all.example.com", _ => "drills only")],
        });
        server.CreateNamespace("shop");
        using var kubeconfig = new MemoryStream(Encoding.UTF8.GetBytes(server.Kubeconfig()));
        using var client = new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(kubeconfig));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dry"), "shop", dryRun: "All"));

        var status = StatusOf(error);
        Assert.Equal((403, "Forbidden", "admission webhook \"deny-all.example.com\" denied the request: drills only"), (status.Code, status.Reason, status.Message));
    }

    [Fact]
    public async Task PodExec_WithoutAnAnswerConfigured_FailsWithAStatusOnTheErrorChannel()
    {
        _server.Create(SampleApplication.Pod("shop", "debug", null, "Running"));

        var error = await Assert.ThrowsAsync<KubernetesException>(() =>
            _client.NamespacedPodExecAsync("debug", "shop", "main", ["ls"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None));

        Assert.Equal("Failure", error.Status.Status);
        Assert.Contains("runs no containers", error.Status.Message);
    }
}
