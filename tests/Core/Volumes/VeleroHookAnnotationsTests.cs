using Strata.Core.Kubernetes;
using Strata.Core.Volumes;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.Volumes;

/// <summary>Velero's hook annotations, read as Velero reads them, and refused where Velero would quietly fall back.</summary>
public sealed class VeleroHookAnnotationsTests
{
    private static KubeObject Pod(Dictionary<string, string> annotations) =>
        new(StorageObjects.Pod("shop", "db-0", ["data"], annotations: annotations, containers: ["postgres", "exporter"]));

    [Fact]
    public void Read_Defaults_AreVelerosOwn_FirstContainer_30Seconds_Fail()
    {
        var hook = VeleroHookAnnotations.Read(Pod(new() { ["pre.hook.backup.velero.io/command"] = "[\"/bin/sync\"]" }), HookPhase.Pre)!;

        Assert.Equal(("postgres", TimeSpan.FromSeconds(30), HookErrorMode.Fail, null), (hook.Container, hook.Timeout, hook.OnError, hook.Invalid));
        Assert.Equal(["/bin/sync"], hook.Command);
        Assert.Equal("pre hook (annotation pre.hook.backup.velero.io/command) in container postgres of pod shop/db-0", hook.Describe());
    }

    [Fact]
    public void Read_OlderKeysWithoutAPhase_AreThePreHook_WhenThereAreNoPreKeys()
    {
        var pod = Pod(new() { ["hook.backup.velero.io/command"] = "[\"/bin/sync\"]", ["hook.backup.velero.io/container"] = "exporter" });

        var hook = VeleroHookAnnotations.Read(pod, HookPhase.Pre)!;

        Assert.Equal(("annotation hook.backup.velero.io/command", "exporter"), (hook.Source, hook.Container));
        Assert.Null(VeleroHookAnnotations.Read(pod, HookPhase.Post));
    }

    [Theory]
    [InlineData("", "annotation pre.hook.backup.velero.io/command is empty")]
    [InlineData("[]", "annotation pre.hook.backup.velero.io/command is an empty command")]
    [InlineData("[1, 2]", "annotation pre.hook.backup.velero.io/command is not a JSON array of strings")]
    public void Read_CommandsThatAreNoCommand_AreRefused_NamingThePod(string command, string expected)
    {
        var hook = VeleroHookAnnotations.Read(Pod(new() { ["pre.hook.backup.velero.io/command"] = command }), HookPhase.Pre)!;

        Assert.StartsWith("pod shop/db-0: " + expected, hook.Invalid, StringComparison.Ordinal);
        Assert.EndsWith("; the hook did not run", hook.Invalid, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryMistake_IsNamed_AndTheOnErrorThatParsedStillApplies()
    {
        var hook = VeleroHookAnnotations.Read(Pod(new()
        {
            ["post.hook.backup.velero.io/command"] = "[\"/bin/thaw\"",
            ["post.hook.backup.velero.io/timeout"] = "90",
            ["post.hook.backup.velero.io/on-error"] = "Continue",
        }), HookPhase.Post)!;

        Assert.Equal(HookErrorMode.Continue, hook.OnError);
        Assert.Contains("annotation post.hook.backup.velero.io/command is not a JSON array of strings", hook.Invalid, StringComparison.Ordinal);
        Assert.Contains("annotation post.hook.backup.velero.io/timeout '90' is not a duration such as 30s or 1m30s", hook.Invalid, StringComparison.Ordinal);
    }
}
