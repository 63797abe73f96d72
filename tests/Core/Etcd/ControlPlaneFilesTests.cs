using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Etcd;
using Strata.Core.Kubernetes;
using Strata.Core.Results;
using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Core.Tests.Etcd;

/// <summary>
/// The control-plane files against the sandbox over real HTTPS: the reader Pod as the API server stored it, the tar
/// streamed through exec from a kubeadm-shaped folder (the real <c>sh</c> and <c>tar</c>), and the Pod deleted whatever
/// happened.
/// </summary>
public sealed class ControlPlaneFilesTests
{
    private static readonly string PodName = ControlPlaneFilesPod.Name("cp-1", ControlPlaneFilesSandbox.BackupId);

    [Fact]
    public async Task CaptureAsync_KubeadmNode_CommitsTheTarWithItsCountsAndDeletesThePod()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings(kubeconfigs: true)).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Null(capture.Off);
        var record = Assert.Single(capture.Records);
        Assert.Equal(("cp-1", "control-plane/cp-1.tar", "/etc/kubernetes", PodName), (record.Node, record.Path, record.Root, record.Pod));
        Assert.Equal(["pki", "manifests", "admin.conf", "super-admin.conf", "kubelet.conf"], record.Entries);
        Assert.Equal(SampleControlPlaneFiles.Files + SampleControlPlaneFiles.KubeconfigFiles, record.Files);
        Assert.Equal(SampleControlPlaneFiles.PrivateKeyFiles + SampleControlPlaneFiles.KubeconfigKeys, record.PrivateKeyFiles);
        var stored = world.Stored(record.Path)!;
        Assert.Equal(new ArtifactEntry(record.Path, stored.Length, Convert.ToHexStringLower(SHA256.HashData(stored))), Assert.Single(capture.Artifacts));
        Assert.Equal((stored.Length, record.Sha256), (record.Size, Convert.ToHexStringLower(SHA256.HashData(stored))));
        var files = await ReadTarAsync(stored);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(world.Folder("cp-1"), "pki/etcd/ca.key")), files["pki/etcd/ca.key"]);
        Assert.Contains("client-key-data", files["admin.conf"], StringComparison.Ordinal);
        Assert.Contains("manifests/kube-apiserver.yaml", files.Keys);
        Assert.Empty(await world.PodsAsync());
    }

    [Fact]
    public async Task CaptureAsync_BusyboxContainer_TheSameListingAndTarWork_AndTheTarReadsBack()
    {
        // A busybox image has BusyBox's sh (ash) and tar only, not GNU's: the listing script and the tar command must
        // work there. The container runs nothing else (its programs and its PATH are BusyBox's applets).
        using var busybox = new BusyboxContainer();
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        world.Container = busybox.Exec;
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings(kubeconfigs: true)).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        var record = Assert.Single(capture.Records);
        // The kubeconfigs the node lacks were left out by the listing ([ -e ] in ash), as with GNU's sh.
        Assert.Equal(["pki", "manifests", "admin.conf", "super-admin.conf", "kubelet.conf"], record.Entries);
        Assert.Equal(SampleControlPlaneFiles.Files + SampleControlPlaneFiles.KubeconfigFiles, record.Files);
        Assert.Equal(SampleControlPlaneFiles.PrivateKeyFiles + SampleControlPlaneFiles.KubeconfigKeys, record.PrivateKeyFiles);
        Assert.Equal([["sh", "-c"], ["tar", "-C"]], world.Execs.Select(e => e.Command.Take(2).ToArray()));
        var stored = world.Stored(record.Path)!;
        Assert.Equal((stored.Length, record.Sha256), (record.Size, Convert.ToHexStringLower(SHA256.HashData(stored))));
        var files = await ReadTarAsync(stored);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(world.Folder("cp-1"), "pki/etcd/ca.key")), files["pki/etcd/ca.key"]);
        Assert.Contains("manifests/kube-apiserver.yaml", files.Keys);
    }

    [Fact]
    public async Task CaptureAsync_WithoutKubeconfigs_TakesThePkiAndManifestsOnly()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        var context = world.Context();

        var record = Assert.Single((await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context)).Records);

        Assert.Equal(["pki", "manifests"], record.Entries);
        Assert.Equal((SampleControlPlaneFiles.Files, SampleControlPlaneFiles.PrivateKeyFiles), (record.Files, record.PrivateKeyFiles));
        Assert.DoesNotContain("admin.conf", (await ReadTarAsync(world.Stored(record.Path)!)).Keys);
    }

    [Fact]
    public async Task CaptureAsync_Pod_AsTheSandboxStoredIt()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();

        await world.Files(ControlPlaneFilesSandbox.Settings(timeout: TimeSpan.FromMinutes(4))).CaptureAsync(world.Context());

        var pod = world.Execs.First().Pod;
        var spec = pod["spec"]!.AsObject();
        var container = Assert.Single(spec["containers"]!.AsArray())!.AsObject();
        var security = container["securityContext"]!.AsObject();
        Assert.Equal((PodName, "kube-system"), (pod["metadata"]!["name"]!.GetValue<string>(), pod["metadata"]!["namespace"]!.GetValue<string>()));
        Assert.Equal((ControlPlaneFilesSandbox.BackupId, "strata"), (Label(pod, StrataLabels.BackupId), Label(pod, StrataLabels.ManagedBy)));
        Assert.Equal("cp-1", spec["nodeName"]!.GetValue<string>());
        Assert.Null(spec["schedulerName"]);
        var toleration = Assert.Single(spec["tolerations"]!.AsArray())!.AsObject();
        Assert.Equal(["operator=Exists"], toleration.Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal(("false", "false", "false"), (Bool(spec, "hostNetwork"), Bool(spec, "hostPID"), Bool(spec, "hostIPC")));
        Assert.Equal(("false", "false"), (Bool(spec, "automountServiceAccountToken"), Bool(spec, "enableServiceLinks")));
        Assert.Equal(("Never", 240, 0), (spec["restartPolicy"]!.GetValue<string>(), spec["activeDeadlineSeconds"]!.GetValue<int>(), spec["terminationGracePeriodSeconds"]!.GetValue<int>()));
        var volume = Assert.Single(spec["volumes"]!.AsArray())!;
        Assert.Equal(("/etc/kubernetes", "Directory"), (volume["hostPath"]!["path"]!.GetValue<string>(), volume["hostPath"]!["type"]!.GetValue<string>()));
        var mount = Assert.Single(container["volumeMounts"]!.AsArray())!;
        Assert.Equal((volume["name"]!.GetValue<string>(), "/host/etc/kubernetes", true), (mount["name"]!.GetValue<string>(), mount["mountPath"]!.GetValue<string>(), mount["readOnly"]!.GetValue<bool>()));
        Assert.Equal((ControlPlaneFilesSandbox.Image, "files"), (container["image"]!.GetValue<string>(), container["name"]!.GetValue<string>()));
        Assert.Equal(["sleep", "240"], container["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(("false", "false", "true", "false", 0), (Bool(security, "privileged"), Bool(security, "allowPrivilegeEscalation"), Bool(security, "readOnlyRootFilesystem"),
            Bool(security, "runAsNonRoot"), security["runAsUser"]!.GetValue<int>()));
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Null(security["capabilities"]!["add"]);
        Assert.Equal("RuntimeDefault", security["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.NotNull(container["resources"]!["limits"]!["memory"]);
        Assert.NotNull(container["resources"]!["requests"]!["cpu"]);
        Assert.Equal("Running", pod["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(["sh", "tar"], world.Execs.Select(e => e.Command[0]));
    }

    [Fact]
    public async Task CaptureAsync_RequiredEntryMissing_FilesFailedAndPodDeleted()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        Directory.Delete(Path.Combine(world.Folder("cp-1"), "manifests"), recursive: true);
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context);

        Assert.Empty(capture.Records);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, ProblemReasons.FilesFailed, "control-plane-files/cp-1"), (problem.Severity, problem.Reason, problem.Name));
        Assert.Contains("has no /etc/kubernetes/manifests", problem.Message, StringComparison.Ordinal);
        Assert.Null(world.Stored("control-plane/cp-1.tar"));
        Assert.Empty(await world.PodsAsync());
    }

    [Fact]
    public async Task CaptureAsync_TarExitsNonZero_NothingCommittedAndPodDeleted()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        var tar = await TarOfAsync(world.Folder("cp-1"));
        world.Tar = async (session, ct) =>
        {
            await session.Stdout.WriteAsync(tar.AsMemory(0, 3072), ct);
            await session.Stderr.WriteAsync("tar: pki/ca.key: Cannot open: Permission denied\ntar: Exiting with failure status due to previous errors\n"u8.ToArray(), ct);
            return 2;
        };
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context);

        Assert.Empty(capture.Records);
        Assert.Empty(capture.Artifacts);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal(ProblemReasons.FilesFailed, problem.Reason);
        Assert.Contains("exited 2: tar: pki/ca.key: Cannot open: Permission denied; tar: Exiting with failure status", problem.Message, StringComparison.Ordinal);
        Assert.Empty(world.Store.Artifacts);
        Assert.Empty(await world.PodsAsync());
    }

    [Fact]
    public async Task CaptureAsync_TarCutShortYetExitZero_IntegrityFailedNothingCommitted()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        var tar = await TarOfAsync(world.Folder("cp-1"));
        world.Tar = async (session, ct) =>
        {
            await session.Stdout.WriteAsync(tar.AsMemory(0, 4096), ct);
            return 0;
        };
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context);

        Assert.Empty(capture.Records);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal(ProblemReasons.IntegrityFailed, problem.Reason);
        Assert.Contains("not a whole tar: the tar ends before its end-of-archive marker", problem.Message, StringComparison.Ordinal);
        Assert.Empty(world.Store.Artifacts);
        Assert.Empty(await world.PodsAsync());
    }

    [Fact]
    public async Task CaptureAsync_ImageCannotBePulled_SaysSoAtOnceAndDeletesThePod()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync(new SimulatedKubelet { ImagePullFails = _ => true });
        var context = world.Context();
        var started = TimeProvider.System.GetTimestamp();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context);

        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30));
        Assert.Empty(capture.Records);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal(ProblemReasons.FilesFailed, problem.Reason);
        Assert.Contains($"cannot start its container (image {ControlPlaneFilesSandbox.Image}): ErrImagePull: failed to pull and unpack image", problem.Message, StringComparison.Ordinal);
        Assert.Empty(world.Execs);
        Assert.Empty(await world.PodsAsync());
    }

    [Fact]
    public async Task CaptureAsync_PodNeverRuns_TimesOutAndDeletesThePod()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync(new SimulatedKubelet { StartDelay = TimeSpan.FromHours(1) });
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings(timeout: TimeSpan.FromSeconds(2))).CaptureAsync(context);

        Assert.Empty(capture.Records);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal(ProblemReasons.Timeout, problem.Reason);
        Assert.Contains($"while waiting for the Pod kube-system/{PodName} to run (it is Pending, ContainerCreating)", problem.Message, StringComparison.Ordinal);
        Assert.Empty(await world.PodsAsync());
    }

    [Fact]
    public async Task CaptureAsync_KeysNotAllowed_NoPodAndTheBackupSaysWhy()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        var context = world.Context();
        var requests = world.Server.RequestCount;

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings() with { AllowUnencryptedKeys = false }).CaptureAsync(context);

        Assert.Equal(requests, world.Server.RequestCount);
        Assert.Empty(capture.Records);
        Assert.Contains("allowUnencryptedKeys: true", capture.Off, StringComparison.Ordinal);
        Assert.Contains("private keys", capture.Off, StringComparison.Ordinal);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Warning, ProblemReasons.KeysUnencrypted, "etcd", "control-plane-files"), (problem.Severity, problem.Reason, problem.Resource, problem.Name));
    }

    [Fact]
    public async Task CaptureAsync_NoNodeMatches_Warns()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings() with { NodeSelector = LabelSelector.Parse("node-role.kubernetes.io/master") }).CaptureAsync(context);

        Assert.Empty(capture.Records);
        Assert.Null(capture.Off);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal(ProblemSeverity.Warning, problem.Severity);
        Assert.Contains("no control-plane node is visible (no node matches 'node-role.kubernetes.io/master')", problem.Message, StringComparison.Ordinal);
        Assert.Empty(world.Execs);
    }

    [Fact]
    public async Task CaptureAsync_ThreeControlPlaneNodes_OneTarEachNotTheWorker()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync(null, "cp-3", "cp-1", "cp-2");
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal(["cp-1", "cp-2", "cp-3"], capture.Records.Select(r => r.Node));
        Assert.Equal(["control-plane/cp-1.tar", "control-plane/cp-2.tar", "control-plane/cp-3.tar"], capture.Artifacts.Select(a => a.Path));
        Assert.Equal(["cp-1", "cp-2", "cp-3"], world.Execs.Where(e => e.Command[0] == "tar").Select(e => e.Pod["spec"]!["nodeName"]!.GetValue<string>()));
        Assert.Equal(3, capture.Records.Select(r => r.Pod).Distinct().Count());
        Assert.Contains("of cp-2 apiserver", Encoding.UTF8.GetString(Convert.FromBase64String((await ReadTarAsync(world.Stored("control-plane/cp-2.tar")!))["pki/apiserver.crt"].Split('\n')[1])), StringComparison.Ordinal);
        Assert.Empty(await world.PodsAsync());
    }

    [Fact]
    public async Task CaptureAsync_NodeNotReady_ErrorWithoutAPod()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        world.AddNode("cp-2", ready: false);
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context);

        Assert.Equal(["cp-1"], capture.Records.Select(r => r.Node));
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemReasons.FilesFailed, "control-plane-files/cp-2"), (problem.Reason, problem.Name));
        Assert.Contains("node cp-2 is not Ready (Ready=Unknown, NodeStatusUnknown)", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Execs, e => e.Pod["spec"]!["nodeName"]!.GetValue<string>() == "cp-2");
    }

    [Fact]
    public async Task CaptureAsync_PodLeftByAnEarlierAttempt_ReplacedThenDeleted()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        var settings = ControlPlaneFilesSandbox.Settings();
        await world.Client.CreateAsync(ControlPlaneFiles.Pods, "kube-system", ControlPlaneFilesPod.Build(settings, "cp-1", PodName, ControlPlaneFilesSandbox.BackupId));
        var leftover = (await world.Client.GetAsync(ControlPlaneFiles.Pods, "kube-system", PodName))!.Uid;
        var context = world.Context();

        var capture = await world.Files(settings).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Single(capture.Records);
        Assert.NotEqual(leftover, world.Execs.First().Pod["metadata"]!["uid"]!.GetValue<string>());
        Assert.Empty(await world.PodsAsync());
    }

    [Fact]
    public async Task CaptureAsync_SomeoneElsesPodOfThatName_LeftAlone()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        var settings = ControlPlaneFilesSandbox.Settings();
        var foreign = ControlPlaneFilesPod.Build(settings, "cp-1", PodName, "another-backup");
        await world.Client.CreateAsync(ControlPlaneFiles.Pods, "kube-system", foreign);
        var context = world.Context();

        var capture = await world.Files(settings).CaptureAsync(context);

        Assert.Empty(capture.Records);
        Assert.Contains("that is not this backup's is in the way", Assert.Single(context.Result.Problems).Message, StringComparison.Ordinal);
        Assert.Equal([PodName], (await world.PodsAsync()).Select(p => p.Name));
    }

    [Fact]
    public async Task CaptureAsync_DeleteForbidden_WarnsNamingThePod()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        world.Server.Access.Deny("delete", "", "pods", "kube-system");
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context);

        Assert.Single(capture.Records);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Warning, "kube-system", PodName), (problem.Severity, problem.Namespace, problem.Name));
        Assert.Contains($"kubectl delete pod -n kube-system {PodName}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_CreateForbidden_ErrorAndNoDeleteAttempted()
    {
        await using var world = await ControlPlaneFilesSandbox.StartAsync();
        world.Server.Access.Deny("create", "", "pods", "kube-system");
        var context = world.Context();

        var capture = await world.Files(ControlPlaneFilesSandbox.Settings()).CaptureAsync(context);

        Assert.Empty(capture.Records);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, ProblemReasons.FilesFailed), (problem.Severity, problem.Reason));
        Assert.Contains("was refused", problem.Message, StringComparison.Ordinal);
    }

    private static string? Label(JsonNode pod, string key) => pod["metadata"]!["labels"]![key]?.GetValue<string>();

    private static string? Bool(JsonObject obj, string key) => obj[key]?.ToJsonString();

    private static async Task<byte[]> TarOfAsync(string folder)
    {
        var buffer = new MemoryStream();
        await TarFile.CreateFromDirectoryAsync(folder, buffer, includeBaseDirectory: false);
        return buffer.ToArray();
    }

    private static async Task<Dictionary<string, string>> ReadTarAsync(byte[] tar)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = new TarReader(new MemoryStream(tar));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.DataStream is { } data)
            {
                using var text = new StreamReader(data);
                files[entry.Name] = await text.ReadToEndAsync();
            }
        }

        return files;
    }
}
