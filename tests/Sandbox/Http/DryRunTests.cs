using System.Text.Json.Nodes;

namespace Strata.Sandbox.Tests.Http;

public class DryRunTests
{
    private const string ConfigMaps = "/api/v1/namespaces/drill/configmaps";

    [Fact]
    public async Task DryRun_CreateUpdatePatchDelete_AnswerWhatWouldBeStored_AndPersistNothing()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers() }, "drill");
        var (_, kept) = await s.PostAsync(ConfigMaps, Fixtures.ConfigMap("drill", "kept"));
        var revision = s.Server.Store.Revision;

        var (createCode, created) = await s.PostAsync($"{ConfigMaps}?dryRun=All", Fixtures.ConfigMap("drill", "dry"));
        var changed = kept.DeepClone().AsObject();
        changed["data"]!["k"] = "changed";
        var (putCode, put) = await s.PutAsync($"{ConfigMaps}/kept?dryRun=All", changed);
        var (patchCode, patched) = await s.MergePatchAsync($"{ConfigMaps}/kept?dryRun=All", new JsonObject { ["data"] = new JsonObject { ["k2"] = "v2" } });
        var (deleteCode, _) = await s.DeleteAsync($"{ConfigMaps}/kept?dryRun=All");
        var (deploymentCode, deployment) = await s.PostAsync("/apis/apps/v1/namespaces/drill/deployments?dryRun=All", Fixtures.Deployment("drill", "web"));
        var (missingCode, _) = await s.GetAsync($"{ConfigMaps}/dry");
        var (_, after) = await s.GetAsync($"{ConfigMaps}/kept");

        Assert.Equal((201, "dry", null), (createCode, created.Str("metadata.name"), created.Str("metadata.resourceVersion")));
        Assert.NotNull(created.Str("metadata.uid"));
        Assert.NotNull(created.Str("metadata.creationTimestamp"));
        Assert.Equal((200, "changed", kept.Str("metadata.resourceVersion")), (putCode, put.Str("data.k"), put.Str("metadata.resourceVersion")));
        Assert.Equal((200, "v2"), (patchCode, patched.Str("data.k2")));
        Assert.Equal(200, deleteCode);
        Assert.Equal((201, null), (deploymentCode, deployment["status"]?.ToJsonString()));
        Assert.Equal(404, missingCode);
        Assert.Equal(("v", null, kept.Str("metadata.resourceVersion")), (after.Str("data.k"), after.Str("data.k2"), after.Str("metadata.resourceVersion")));
        Assert.Equal(revision, s.Server.Store.Revision);
    }
}
