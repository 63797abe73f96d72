using System.Text.Json.Nodes;

namespace Strata.Sandbox.Tests.Http;

public class WorkloadValidationTests
{
    [Fact]
    public async Task Deployment_WithoutSelector_IsInvalidWithTheRealCauses()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions(), "drill");
        var deployment = Fixtures.Deployment("drill", "web");
        deployment["spec"]!.AsObject().Remove("selector");

        var (dryCode, dry) = await s.PostAsync("/apis/apps/v1/namespaces/drill/deployments?dryRun=All", deployment.DeepClone());
        var (code, invalid) = await s.PostAsync("/apis/apps/v1/namespaces/drill/deployments", deployment.DeepClone());

        Assert.Equal((422, "Invalid"), (code, invalid.Str("reason")));
        Assert.Equal(
            "Deployment.apps \"web\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`]",
            invalid.Str("message"));
        Assert.Equal(("web", "apps", "Deployment"), (invalid.Str("details.name"), invalid.Str("details.group"), invalid.Str("details.kind")));
        Assert.Equal(
            [("FieldValueRequired", "spec.selector", "Required value"),
             ("FieldValueInvalid", "spec.template.metadata.labels", "Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`")],
            invalid["details"]!["causes"]!.AsArray().Select(c => (c.Str("reason"), c.Str("field"), c.Str("message"))));
        Assert.Equal((422, invalid.Str("message")), (dryCode, dry.Str("message")));
    }

    [Fact]
    public async Task Workloads_SelectorMismatchOrNoContainers_AreInvalid_AsIsAJobThatRestartsAlways()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions(), "drill");
        var mismatched = Fixtures.PodController("apps/v1", "StatefulSet", "drill", "db");
        mismatched["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "other" } };
        var empty = Fixtures.PodController("apps/v1", "DaemonSet", "drill", "agent");
        empty["spec"]!["template"]!["spec"]!["containers"] = new JsonArray();
        var job = Fixtures.Job("drill", "migrate");
        job["spec"]!["template"]!["spec"]!.AsObject().Remove("restartPolicy");

        var (_, sts) = await s.PostAsync("/apis/apps/v1/namespaces/drill/statefulsets", mismatched);
        var (_, ds) = await s.PostAsync("/apis/apps/v1/namespaces/drill/daemonsets", empty);
        var (_, jobInvalid) = await s.PostAsync("/apis/batch/v1/namespaces/drill/jobs", job);
        await s.PostAsync("/apis/apps/v1/namespaces/drill/deployments", Fixtures.Deployment("drill", "web"));
        var (updateCode, update) = await s.MergePatchAsync("/apis/apps/v1/namespaces/drill/deployments/web",
            new JsonObject { ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "else" } } } });

        Assert.Equal("StatefulSet.apps \"db\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"db\"}: `selector` does not match template `labels`",
            sts.Str("message"));
        Assert.Equal("DaemonSet.apps \"agent\" is invalid: spec.template.spec.containers: Required value", ds.Str("message"));
        Assert.Equal("Job.batch \"migrate\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"",
            jobInvalid.Str("message"));
        Assert.Equal("FieldValueNotSupported", jobInvalid.Str("details.causes.0.reason"));
        Assert.Equal((422, "spec.template.metadata.labels"), (updateCode, update.Str("details.causes.0.field")));
    }

    [Fact]
    public async Task Job_Create_GeneratesSelectorFromItsUid_AndRefusesACopyThatNamesAnotherUid()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions(), "drill");

        var (code, created) = await s.PostAsync("/apis/batch/v1/namespaces/drill/jobs", Fixtures.Job("drill", "migrate"));
        var uid = created.Str("metadata.uid");
        var copy = created.DeepClone().AsObject();
        var metadata = copy["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields", "generation" })
        {
            metadata.Remove(field);
        }

        metadata["name"] = "migrate-copy";
        copy["spec"]!["template"]!["metadata"]!["labels"]!["job-name"] = "migrate-copy";
        copy["spec"]!["template"]!["metadata"]!["labels"]!["batch.kubernetes.io/job-name"] = "migrate-copy";
        var (copyCode, refused) = await s.PostAsync("/apis/batch/v1/namespaces/drill/jobs", copy);

        Assert.Equal(201, code);
        Assert.Equal(uid, created["spec"]!["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]!.GetValue<string>());
        Assert.Equal((uid, uid, "migrate"), (
            created["spec"]!["template"]!["metadata"]!["labels"]!["controller-uid"]!.GetValue<string>(),
            created["spec"]!["template"]!["metadata"]!["labels"]!["batch.kubernetes.io/controller-uid"]!.GetValue<string>(),
            created["spec"]!["template"]!["metadata"]!["labels"]!["job-name"]!.GetValue<string>()));
        Assert.Equal((422, "Invalid"), (copyCode, refused.Str("reason")));
        var causes = refused["details"]!["causes"]!.AsArray().Select(c => c.Str("field")).ToList();
        Assert.Equal(["spec.template.metadata.labels[controller-uid]", "spec.template.metadata.labels[batch.kubernetes.io/controller-uid]", "spec.selector"], causes);
        Assert.Contains("`selector` not auto-generated", refused.Str("message"), StringComparison.Ordinal);
        Assert.Contains($"must be '", refused.Str("message"), StringComparison.Ordinal);
    }
}
