using System.Text.Json.Nodes;

namespace Strata.Sandbox.Tests.Http;

public class AdmissionTests
{
    private const string Deployments = "/apis/apps/v1/namespaces/drill/deployments";

    private static readonly AdmissionWebhook NoLatest = new("no-latest.policy.example.com", r =>
        r.Object.Field("spec.template.spec.containers.0.image") is { } image && image.EndsWith(":latest", StringComparison.Ordinal)
            ? $"image {image} is not pinned"
            : null);

    private static readonly AdmissionPolicy RequireTeam = new("require-team", r =>
        r.Kind == "Deployment" && !r.Object.Labels.ContainsKey("team") ? "every Deployment names its team" : null)
    {
        Binding = "require-team-binding",
    };

    [Fact]
    public async Task Webhook_RefusesDryRunAndRealCreate_WithTheDenialStatus()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Admission = [NoLatest] }, "drill");
        var latest = Fixtures.Deployment("drill", "web", image: "nginx:latest");

        var (dryCode, dry) = await s.PostAsync($"{Deployments}?dryRun=All", latest.DeepClone());
        var (code, refused) = await s.PostAsync(Deployments, latest.DeepClone());
        var (pinnedCode, _) = await s.PostAsync(Deployments, Fixtures.Deployment("drill", "pinned", image: "nginx:1.27"));
        var (getCode, _) = await s.GetAsync($"{Deployments}/web");

        const string Message = "admission webhook \"no-latest.policy.example.com\" denied the request: image nginx:latest is not pinned";
        Assert.Equal((403, "Status", "Failure", "Forbidden", Message), (dryCode, dry.Str("kind"), dry.Str("status"), dry.Str("reason"), dry.Str("message")));
        Assert.Equal((403, "Forbidden", Message, "403"), (code, refused.Str("reason"), refused.Str("message"), refused.Str("code")));
        Assert.Equal(201, pinnedCode);
        Assert.Equal(404, getCode);
    }

    [Fact]
    public async Task Webhook_ChecksUpdatesAndPatches_AndOneWithoutDryRunSupportRefusesDryRuns()
    {
        var sideEffects = new AdmissionWebhook("audit.example.com", _ => null) { SupportsDryRun = false, Operations = ["CREATE"] };
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Admission = [NoLatest, sideEffects] }, "drill");
        await s.PostAsync(Deployments, Fixtures.Deployment("drill", "web"));
        var toLatest = new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "web:latest" }) } } },
        };

        var (patchCode, patch) = await s.MergePatchAsync($"{Deployments}/web", toLatest);
        var (dryPatchCode, _) = await s.MergePatchAsync($"{Deployments}/web?dryRun=All", toLatest);
        var (dryCreateCode, dryCreate) = await s.PostAsync($"{Deployments}?dryRun=All", Fixtures.Deployment("drill", "other"));
        var (_, web) = await s.GetAsync($"{Deployments}/web");

        Assert.Equal((403, "admission webhook \"no-latest.policy.example.com\" denied the request: image web:latest is not pinned"), (patchCode, patch.Str("message")));
        Assert.Equal(403, dryPatchCode);
        Assert.Equal((400, "BadRequest", "admission webhook \"audit.example.com\" does not support dry run"),
            (dryCreateCode, dryCreate.Str("reason"), dryCreate.Str("message")));
        Assert.Equal("registry.example.com/web:1.0", web.Str("spec.template.spec.containers.0.image"));
    }

    [Fact]
    public async Task Policy_RefusesWithTheValidatingAdmissionPolicyStatus()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Admission = [RequireTeam] }, "drill");

        var (dryCode, dry) = await s.PostAsync($"{Deployments}?dryRun=All", Fixtures.Deployment("drill", "web"));
        var (code, refused) = await s.PostAsync(Deployments, Fixtures.Deployment("drill", "web"));
        var (configMapCode, _) = await s.PostAsync("/api/v1/namespaces/drill/configmaps", Fixtures.ConfigMap("drill", "settings"));

        const string Denial = "ValidatingAdmissionPolicy 'require-team' with binding 'require-team-binding' denied request: every Deployment names its team";
        Assert.Equal((422, "Invalid", $"deployments.apps \"web\" is forbidden: {Denial}"), (code, refused.Str("reason"), refused.Str("message")));
        Assert.Equal(("web", "apps", "deployments", Denial), (refused.Str("details.name"), refused.Str("details.group"), refused.Str("details.kind"), refused.Str("details.causes.0.message")));
        Assert.Equal((422, refused.Str("message")), (dryCode, dry.Str("message")));
        Assert.Equal(201, configMapCode);
    }

    [Fact]
    public async Task Policy_WithReasonForbidden_Answers403()
    {
        var policy = RequireTeam with { Reason = "Forbidden" };
        await using var s = await SandboxSession.StartAsync(new SandboxOptions { Admission = [policy] }, "drill");

        var (code, refused) = await s.PostAsync(Deployments, Fixtures.Deployment("drill", "web"));

        Assert.Equal((403, "Forbidden"), (code, refused.Str("reason")));
    }
}
