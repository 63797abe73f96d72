using System.Text.Json.Nodes;

namespace Strata.Sandbox.Tests.Controllers;

public class NamespaceControllerTests
{
    [Fact]
    public async Task Delete_MarksTerminating_ThenContentsGo_ThenTheNamespace()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { NamespaceDeletionDelay = TimeSpan.FromSeconds(30) }, "scratch");
        await s.PostAsync("/api/v1/namespaces/scratch/configmaps", Fixtures.ConfigMap("scratch", "settings"));
        await s.PostAsync("/apis/apps/v1/namespaces/scratch/deployments", Fixtures.Deployment("scratch", "web"));

        var (code, deleted) = await s.DeleteAsync("/api/v1/namespaces/scratch");
        var (_, terminating) = await s.GetAsync("/api/v1/namespaces/scratch");
        var (_, contents) = await s.GetAsync("/api/v1/namespaces/scratch/configmaps");
        var (againCode, again) = await s.DeleteAsync("/api/v1/namespaces/scratch");
        var (recreateCode, recreate) = await s.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "scratch" } });
        s.Clock.Advance(TimeSpan.FromSeconds(30));
        var (goneCode, gone) = await s.UntilAsync("/api/v1/namespaces/scratch", (status, _) => status == 404);
        var (_, configMaps) = await s.GetAsync("/api/v1/configmaps");
        var (_, deployments) = await s.GetAsync("/apis/apps/v1/deployments");

        Assert.Equal((200, "Namespace", "Terminating"), (code, deleted.Str("kind"), deleted.Str("status.phase")));
        Assert.NotNull(deleted.Str("metadata.deletionTimestamp"));
        Assert.Equal(("Terminating", "kubernetes"), (terminating.Str("status.phase"), terminating.Str("spec.finalizers.0")));
        Assert.Single(contents["items"]!.AsArray());
        Assert.Equal((200, "Terminating"), (againCode, again.Str("status.phase")));
        Assert.Equal((409, "AlreadyExists", "object is being deleted: namespaces \"scratch\" already exists"),
            (recreateCode, recreate.Str("reason"), recreate.Str("message")));
        Assert.Equal((404, "NotFound", "namespaces \"scratch\" not found"), (goneCode, gone.Str("reason"), gone.Str("message")));
        Assert.Empty(configMaps["items"]!.AsArray());
        Assert.Empty(deployments["items"]!.AsArray());
    }

    [Fact]
    public async Task Create_InATerminatingNamespace_IsForbiddenWithTheRealMessage()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { NamespaceDeletionDelay = TimeSpan.FromMinutes(1) }, "scratch");
        await s.DeleteAsync("/api/v1/namespaces/scratch");

        var (code, refused) = await s.PostAsync("/api/v1/namespaces/scratch/configmaps", Fixtures.ConfigMap("scratch", "late"));
        var (dryCode, _) = await s.PostAsync("/apis/apps/v1/namespaces/scratch/deployments?dryRun=All", Fixtures.Deployment("scratch", "web"));

        Assert.Equal((403, "Failure", "Forbidden"), (code, refused.Str("status"), refused.Str("reason")));
        Assert.Equal("configmaps \"late\" is forbidden: unable to create new content in namespace scratch because it is being terminated", refused.Str("message"));
        Assert.Equal(("late", "configmaps", null), (refused.Str("details.name"), refused.Str("details.kind"), refused.Str("details.group")));
        Assert.Equal(("NamespaceTerminating", "namespace scratch is being terminated", "metadata.namespace"),
            (refused.Str("details.causes.0.reason"), refused.Str("details.causes.0.message"), refused.Str("details.causes.0.field")));
        Assert.Equal(403, dryCode);
    }

    [Fact]
    public async Task Delete_WithoutDelay_IsGoneWhenTheDeleteReturns()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions(), "scratch");
        await s.PostAsync("/api/v1/namespaces/scratch/configmaps", Fixtures.ConfigMap("scratch", "settings"));

        var (code, deleted) = await s.DeleteAsync("/api/v1/namespaces/scratch");
        var (getCode, _) = await s.GetAsync("/api/v1/namespaces/scratch");
        var (recreateCode, recreated) = await s.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "scratch" } });
        var (_, contents) = await s.GetAsync("/api/v1/namespaces/scratch/configmaps");

        Assert.Equal((200, "Terminating"), (code, deleted.Str("status.phase")));
        Assert.Equal(404, getCode);
        Assert.Equal((201, "Active"), (recreateCode, recreated.Str("status.phase")));
        Assert.Empty(contents["items"]!.AsArray());
    }

    [Fact]
    public async Task Delete_WithAnotherFinalizer_StaysTerminatingUntilItIsRemoved()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions());
        var ns = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "held", ["finalizers"] = new JsonArray("example.com/hold") } };
        await s.PostAsync("/api/v1/namespaces", ns);

        await s.DeleteAsync("/api/v1/namespaces/held");
        var (heldCode, held) = await s.GetAsync("/api/v1/namespaces/held");
        var (_, cleared) = await s.MergePatchAsync("/api/v1/namespaces/held", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } });
        var (goneCode, _) = await s.GetAsync("/api/v1/namespaces/held");

        Assert.Equal((200, "Terminating"), (heldCode, held.Str("status.phase")));
        Assert.Null(held.Str("spec.finalizers.0")); // the namespace controller's own finalizer is done
        Assert.Equal(("False", "ContentRemoved"), held.StatusAndReason("NamespaceContentRemaining"));
        Assert.Equal(("False", "ContentDeleted"), held.StatusAndReason("NamespaceDeletionContentFailure"));
        Assert.Equal("held", cleared.Str("metadata.name"));
        Assert.Equal(404, goneCode);
    }

    [Fact]
    public async Task Delete_ImmortalOrDryRun_LeavesTheNamespaceActive()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions(), "scratch");

        var (code, refused) = await s.DeleteAsync("/api/v1/namespaces/default");
        var (dryCode, dry) = await s.DeleteAsync("/api/v1/namespaces/scratch?dryRun=All");
        var (_, scratch) = await s.GetAsync("/api/v1/namespaces/scratch");

        Assert.Equal((403, "namespaces \"default\" is forbidden: this namespace may not be deleted"), (code, refused.Str("message")));
        Assert.Equal((200, "Terminating"), (dryCode, dry.Str("status.phase")));
        Assert.Equal(("Active", null), (scratch.Str("status.phase"), scratch.Str("metadata.deletionTimestamp")));
    }
}
