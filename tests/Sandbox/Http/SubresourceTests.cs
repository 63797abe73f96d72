using System.Text.Json.Nodes;

namespace Strata.Sandbox.Tests.Http;

public class SubresourceTests
{
    private const string Web = "/apis/apps/v1/namespaces/drill/deployments/web";

    [Fact]
    public async Task StatusPut_ChangesStatusOnly_AndMainPutNeverStatus()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions(), "drill");
        var (_, created) = await s.PostAsync("/apis/apps/v1/namespaces/drill/deployments", Fixtures.Deployment("drill", "web"));

        var viaStatus = created.DeepClone().AsObject();
        viaStatus["spec"]!["replicas"] = 9;
        viaStatus["metadata"]!["labels"]!["sneaky"] = "yes";
        viaStatus["status"] = new JsonObject { ["observedGeneration"] = 1, ["readyReplicas"] = 2 };
        var (statusCode, afterStatus) = await s.PutAsync($"{Web}/status", viaStatus);
        var viaMain = afterStatus.DeepClone().AsObject();
        viaMain["status"] = new JsonObject { ["readyReplicas"] = 0 };
        viaMain["spec"]!["replicas"] = 3;
        var (_, afterMain) = await s.PutAsync(Web, viaMain);

        Assert.Equal((200, "2", "2", "1", null), (statusCode, afterStatus.Str("spec.replicas"), afterStatus.Str("status.readyReplicas"),
            afterStatus.Str("metadata.generation"), afterStatus.Str("metadata.labels.sneaky")));
        Assert.Equal(("3", "2", "2"), (afterMain.Str("spec.replicas"), afterMain.Str("status.readyReplicas"), afterMain.Str("metadata.generation")));
    }
}
