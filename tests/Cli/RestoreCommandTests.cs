using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// Restores through the CLI between two sandbox API servers over real HTTPS: "prod" holds the
/// sample application, "dr" starts empty and takes a moment to establish CRDs, as real servers do.
/// </summary>
public class RestoreCommandTests : TwoClusterCli
{
    private string Store => Path.Combine(Dir.Path, "store");

    private async Task<JsonObject> BackupAsync(string context)
    {
        var (code, output, error) = await RunAsync("backup", "create", "--context", context, "--store", Store, "-o", "json");
        Assert.True(code == 0, error);
        return JsonNode.Parse(output)!.AsObject();
    }

    private async Task<(int Code, JsonObject? Result, string Error)> RestoreAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(["restore", "create", "--to-context", "dr", "--store", Store, "-o", "json", .. args]);
        return (code, output.Length > 0 ? JsonNode.Parse(output)!.AsObject() : null, error);
    }

    private Dictionary<string, JsonObject> Archive(JsonObject backup) =>
        ArchiveReader.Read(Path.Combine(Store, backup["artifacts"]![0]!["key"]!.GetValue<string>()));

    private static string Id(JsonObject result) => result["id"]!.GetValue<string>();

    private static List<JsonObject> Items(JsonObject result, string outcome) =>
        [.. result["items"]!.AsArray().Select(i => i!.AsObject()).Where(i => i["outcome"]!.GetValue<string>() == outcome)];

    /// <summary>A document with the fields a restore drops (or the server sets anew) set aside.</summary>
    private static JsonObject Comparable(JsonObject doc)
    {
        var copy = doc.DeepClone().AsObject();
        copy.Remove("status");
        var metadata = copy["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" })
        {
            metadata.Remove(field);
        }

        foreach (var owner in (metadata["ownerReferences"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            owner.Remove("uid");
        }

        if (copy["spec"] is JsonObject spec && copy["kind"]!.GetValue<string>() == "Service" && spec["clusterIP"]!.GetValue<string>() != "None")
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }

        (copy["spec"]?["claimRef"] as JsonObject)?.Remove("uid");
        (copy["spec"]?["claimRef"] as JsonObject)?.Remove("resourceVersion");
        return copy;
    }

    [Fact]
    public async Task Create_JobCapturedFromTheSandbox_IsCreatedInTheTargetWithItsOwnSelector()
    {
        Prod.Create(Sandbox.SampleApplication.Obj("batch/v1", "Job", "shop", "migrate", extra: o => o["spec"] = JsonNode.Parse("""
            {"template":{"metadata":{"labels":{"app":"migrate"}},"spec":{"restartPolicy":"Never","containers":[{"name":"m","image":"migrate:1"}]}}}
            """)));
        var backup = await BackupAsync("prod");

        var (code, result, error) = await RestoreAsync("--from-backup", Id(backup));

        Assert.True(code == 0, error + result);
        Assert.DoesNotContain(Items(result!, "failed"), i => i["name"]!.GetValue<string>() == "migrate");
        var job = Dr.Store.Get(Dr.Store.Types.Single(t => t.Key == "jobs.batch"), "shop", "migrate")!.ToJson("batch/v1", "Job");
        var uid = job["metadata"]!["uid"]!.GetValue<string>();
        Assert.Equal(uid, job["spec"]!["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]!.GetValue<string>());
        Assert.Equal(uid, job["spec"]!["template"]!["metadata"]!["labels"]!["controller-uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_IntoEmptyCluster_RestoresTheSameObjectsInDependencyOrder()
    {
        var backup = await BackupAsync("prod");

        var (code, result, error) = await RestoreAsync("--from-backup", Id(backup));

        Assert.True(code == 0, error + result);
        Assert.Equal("Succeeded", result!["status"]!.GetValue<string>());
        Assert.Empty(Items(result, "failed"));
        Assert.Empty(Items(result, "skippedUnsupported")); // the Widgets waited for their CRD to be Established
        Assert.Contains(Items(result, "skippedExisting"), i => i["name"]!.GetValue<string>() == "default");

        var source = Archive(backup);
        var restored = Archive(await BackupAsync("dr"));
        foreach (var (path, doc) in source)
        {
            Assert.True(restored.ContainsKey(path), $"{path} was not restored");
            if (!path.StartsWith("resources/core/v1/namespaces/", StringComparison.Ordinal))
            {
                Assert.True(JsonNode.DeepEquals(Comparable(doc), Comparable(restored[path])), $"{path} differs:\n{Comparable(doc)}\n{Comparable(restored[path])}");
            }
        }

        // Runtime fields come from the target, never from the backup.
        var web = restored["resources/apps/v1/deployments/namespaces/shop/web.json"];
        Assert.NotEqual(source["resources/apps/v1/deployments/namespaces/shop/web.json"]["metadata"]!["uid"]!.GetValue<string>(), web["metadata"]!["uid"]!.GetValue<string>());
        // The ConfigMap owned by a Widget (restored after it) points at the new Widget's uid.
        var owner = restored["resources/core/v1/configmaps/namespaces/shop/checkout-settings.json"]["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(restored["resources/demo.strata.dev/v1/widgets/namespaces/shop/checkout.json"]["metadata"]!["uid"]!.GetValue<string>(), owner["uid"]!.GetValue<string>());
        // The headless Service keeps "None"; the others get addresses from the target.
        Assert.Equal("None", restored["resources/core/v1/services/namespaces/shop/db-headless.json"]["spec"]!["clusterIP"]!.GetValue<string>());

        var (listCode, list, _) = await RunAsync("restore", "list", "--store", Store);
        Assert.Equal(0, listCode);
        Assert.True(list.Contains(Id(result), StringComparison.Ordinal), list);
        var (describeCode, describe, _) = await RunAsync("restore", "describe", Id(result), "--store", Store, "-o", "json");
        Assert.Equal(0, describeCode);
        Assert.Equal(result["items"]!.AsArray().Count, JsonNode.Parse(describe)!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Create_WithNamespaceMapping_RewritesNamespacesAndTheReferencesIntoThem()
    {
        var backup = await BackupAsync("prod");

        var (code, result, error) = await RestoreAsync(
            "--from-backup", Id(backup), "--include-namespaces", "shop,auth", "--namespace-mappings", "shop:shop-dr,auth:auth-dr");

        Assert.True(code == 0, error + result);
        var source = Archive(backup);
        var restored = Archive(await BackupAsync("dr"));
        Assert.DoesNotContain(restored.Keys, k => k.Contains("/namespaces/shop/", StringComparison.Ordinal) || k.Contains("/namespaces/monitoring/", StringComparison.Ordinal));
        Assert.Equal("shop-dr", restored["resources/core/v1/namespaces/shop-dr.json"]["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("shop-dr", restored["resources/rbac.authorization.k8s.io/v1/rolebindings/namespaces/shop-dr/api-reads-config.json"]["subjects"]![0]!["namespace"]!.GetValue<string>());
        Assert.Equal("auth-dr", restored["resources/networking.k8s.io/v1/networkpolicies/namespaces/shop-dr/api-from-auth.json"]
            ["spec"]!["ingress"]![0]!["from"]![0]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        // Apart from the namespace, every object of shop is the same in shop-dr.
        foreach (var (path, doc) in source.Where(s => s.Key.Contains("/namespaces/shop/", StringComparison.Ordinal) && !s.Key.Contains("networkpolicies", StringComparison.Ordinal) && !s.Key.Contains("rolebindings", StringComparison.Ordinal)))
        {
            var mappedPath = path.Replace("/namespaces/shop/", "/namespaces/shop-dr/", StringComparison.Ordinal);
            Assert.True(restored.ContainsKey(mappedPath), $"{mappedPath} was not restored");
            var expected = Comparable(doc);
            expected["metadata"]!["namespace"] = "shop-dr";
            Assert.True(JsonNode.DeepEquals(expected, Comparable(restored[mappedPath])), $"{mappedPath} differs");
        }

        // The PV the claim needs came along, and the claim is bound to it again.
        Assert.Equal("shop-dr", restored["resources/core/v1/persistentvolumes/pv-shop-data.json"]["spec"]!["claimRef"]!["namespace"]!.GetValue<string>());
        Assert.Equal("pv-shop-data", restored["resources/core/v1/persistentvolumeclaims/namespaces/shop-dr/data.json"]["spec"]!["volumeName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_DryRun_ReportsWhatWouldHappenAndCreatesNothing()
    {
        var backup = await BackupAsync("prod");
        var before = Dr.Store.Revision;

        var (code, result, error) = await RestoreAsync("--from-backup", Id(backup), "--dry-run");

        Assert.True(code == 0, error + result);
        Assert.True(result!["dryRun"]!.GetValue<bool>());
        Assert.Equal(before, Dr.Store.Revision);
        Assert.Null(Dr.Store.Get(Dr.Store.FindType("", "namespaces")!, null, "shop"));
        var created = Items(result, "created");
        Assert.Contains(created, i => i["name"]!.GetValue<string>() == "web" && i["resource"]!.GetValue<string>() == "deployments.apps");
        Assert.Contains(created, i => i["name"]!.GetValue<string>() == "checkout" && i["message"]!.GetValue<string>().Contains("CustomResourceDefinition", StringComparison.Ordinal));

        // The real restore creates exactly what the dry run said it would.
        var (_, real, _) = await RestoreAsync("--from-backup", Id(backup));
        Assert.Equal(
            created.Select(i => $"{i["resource"]}/{i["namespace"]}/{i["name"]}").Order(),
            Items(real!, "created").Select(i => $"{i["resource"]}/{i["namespace"]}/{i["name"]}").Order());
    }

    [Fact]
    public async Task Create_ExistingObjects_SkipLeavesThemAndUpdateAppliesTheBackup()
    {
        var backup = await BackupAsync("prod");
        await RestoreAsync("--from-backup", Id(backup));
        using var http = SandboxHttp.Create(Dr, Dr.AdminToken);
        var patch = new StringContent("""{"data":{"THEME":"light"},"metadata":{"labels":{"edited":"yes"}}}""", Encoding.UTF8, "application/merge-patch+json");
        (await http.PatchAsync("/api/v1/namespaces/shop/configmaps/web-config", patch)).EnsureSuccessStatusCode();

        var (skipCode, skipped, _) = await RestoreAsync("--from-backup", Id(backup));
        Assert.Equal(0, skipCode);
        Assert.Empty(Items(skipped!, "created"));
        Assert.Contains(Items(skipped!, "skippedExisting"), i => i["name"]!.GetValue<string>() == "web-config");
        Assert.Equal("light", await ThemeAsync());

        var (updateCode, updated, _) = await RestoreAsync("--from-backup", Id(backup), "--existing-resource-policy", "update");
        Assert.Equal(0, updateCode);
        Assert.Contains(Items(updated!, "updated"), i => i["name"]!.GetValue<string>() == "web-config");
        Assert.Equal("dark", await ThemeAsync());
        var live = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/shop/configmaps/web-config"))!;
        Assert.Equal("yes", live["metadata"]!["labels"]!["edited"]!.GetValue<string>()); // applied over, never deleted

        async Task<string> ThemeAsync() =>
            JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/shop/configmaps/web-config"))!["data"]!["THEME"]!.GetValue<string>();
    }

    [Fact]
    public async Task Create_TamperedArchive_IsRefusedBeforeAnythingIsApplied()
    {
        var backup = await BackupAsync("prod");
        var archive = Path.Combine(Store, backup["artifacts"]![0]!["key"]!.GetValue<string>());
        var bytes = await File.ReadAllBytesAsync(archive);
        bytes[bytes.Length / 2] ^= 0x01;
        File.SetAttributes(archive, FileAttributes.Normal);
        await File.WriteAllBytesAsync(archive, bytes);
        var before = Dr.Store.Revision;

        var (code, _, error) = await RestoreAsync("--from-backup", Id(backup));

        Assert.Equal(2, code);
        Assert.Contains("refused", error, StringComparison.Ordinal);
        Assert.Contains("resources.tar.gz", error, StringComparison.Ordinal);
        Assert.Equal(before, Dr.Store.Revision);
    }

    [Theory]
    [InlineData("resources/../../../etc/cron.d/evil.json", TarEntryType.RegularFile, "climbs out")]
    [InlineData("/etc/passwd", TarEntryType.RegularFile, "absolute")]
    [InlineData("resources/core/v1/configmaps/namespaces/shop/link.json", TarEntryType.SymbolicLink, "link")]
    public async Task Create_ArchiveWithAnEscapingEntry_IsRefused(string entryName, TarEntryType type, string reason)
    {
        var prefix = "backups/prod/adhoc/20260101-000000-abcdef/";
        var archive = CraftArchive(
            ("resources/core/v1/namespaces/evil.json", TarEntryType.RegularFile),
            (entryName, type));
        await WriteBackupAsync(prefix, archive);
        var before = Dr.Store.Revision;

        var (code, _, error) = await RestoreAsync("--from-backup", "20260101-000000-abcdef");

        Assert.Equal(2, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal(before, Dr.Store.Revision);
    }

    [Fact]
    public async Task Create_BackupWithoutManifest_IsRefusedUnlessAllowIncomplete()
    {
        var backup = await BackupAsync("prod");
        var manifest = Path.Combine(Store, backup["manifest"]!.GetValue<string>());
        File.SetAttributes(manifest, FileAttributes.Normal);
        File.Delete(manifest);

        var (code, _, error) = await RestoreAsync("--from-backup", Id(backup));
        Assert.Equal(2, code);
        Assert.Contains("no manifest", error, StringComparison.Ordinal);
        Assert.Contains("--allow-incomplete", error, StringComparison.Ordinal);

        var (allowed, result, allowedError) = await RestoreAsync("--from-backup", Id(backup), "--allow-incomplete");
        Assert.True(allowed == 0, allowedError);
        Assert.NotEmpty(Items(result!, "created"));
        Assert.Contains(result!["problems"]!.AsArray(), p => p!["reason"]!.GetValue<string>() == "Incomplete");
    }

    [Fact]
    public async Task Create_TargetWithoutTheCrd_ReportsEachCustomResourceAsUnsupported()
    {
        var backup = await BackupAsync("prod");

        var (code, result, error) = await RestoreAsync("--from-backup", Id(backup), "--exclude-resources", "customresourcedefinitions");

        Assert.True(code == 1, error + result);
        Assert.Equal("PartiallyFailed", result!["status"]!.GetValue<string>());
        var unsupported = Items(result, "skippedUnsupported");
        Assert.Equal(["catalog", "checkout", "login"], unsupported.Select(i => i["name"]!.GetValue<string>()).Order());
        Assert.All(unsupported, i => Assert.Contains("CustomResourceDefinition is not installed", i["message"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.NotEmpty(Items(result, "created"));
    }

    [Fact]
    public async Task Create_IncludeResources_BringsTheNamespacesTheObjectsNeed()
    {
        var backup = await BackupAsync("prod");

        var (code, result, error) = await RestoreAsync("--from-backup", Id(backup), "--include-resources", "secrets", "--include-namespaces", "shop");

        Assert.True(code == 0, error + result);
        Assert.Equal(["namespaces/-/shop", "secrets/shop/db-credentials"],
            Items(result!, "created").Select(i => $"{i["resource"]}/{i["namespace"]?.GetValue<string>() ?? "-"}/{i["name"]}").Order());
        Assert.True(result!["counts"]!["excluded"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Create_RbacTheApiServerBootstraps_IsCapturedButNotRestored_TheOthersAre()
    {
        // RoleBindings to the API server's own ClusterRoles (view: labelled rbac-defaults) and to an add-on's system: one,
        // beside the sample's binding to its own ClusterRole shop-reader. On a real target both exist already, and
        // creating them without escalate/bind is refused before their existence is checked.
        var bootstrap = new Dictionary<string, string> { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        Prod.Create(Sandbox.SampleApplication.Obj("rbac.authorization.k8s.io/v1", "ClusterRole", null, "view", bootstrap, extra: o => o["rules"] = new JsonArray(
            new JsonObject { ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("pods"), ["verbs"] = new JsonArray("get", "list", "watch") })));
        Prod.Create(Sandbox.SampleApplication.Obj("rbac.authorization.k8s.io/v1", "ClusterRole", null, "system:aggregated-metrics-reader"));
        foreach (var (binding, role) in new[] { ("viewers", "view"), ("metrics", "system:aggregated-metrics-reader") })
        {
            Prod.Create(Sandbox.SampleApplication.Obj("rbac.authorization.k8s.io/v1", "RoleBinding", "shop", binding, extra: o =>
            {
                o["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role };
                o["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "api", ["namespace"] = "shop" });
            }));
        }

        var backup = await BackupAsync("prod");
        var (code, result, error) = await RestoreAsync("--from-backup", Id(backup));

        var archive = Archive(backup);
        Assert.Contains("resources/rbac.authorization.k8s.io/v1/clusterroles/view.json", archive.Keys); // they document the source cluster
        Assert.Contains("resources/rbac.authorization.k8s.io/v1/clusterroles/system:aggregated-metrics-reader.json", archive.Keys);
        Assert.True(code == 0, error + result);
        var skipped = Items(result!, "skippedRecreated").Where(i => i["resource"]!.GetValue<string>() == "clusterroles.rbac.authorization.k8s.io")
            .ToDictionary(i => i["name"]!.GetValue<string>(), i => i["message"]!.GetValue<string>());
        Assert.Equal(["system:aggregated-metrics-reader", "view"], skipped.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("bootstrapped by the API server (kubernetes.io/bootstrapping: rbac-defaults)", skipped["view"], StringComparison.Ordinal);
        Assert.StartsWith("a system: name, reserved for the control plane and its add-ons", skipped["system:aggregated-metrics-reader"], StringComparison.Ordinal);
        var clusterRoles = Dr.Store.Types.Single(t => t.Key == "clusterroles.rbac.authorization.k8s.io");
        Assert.Null(Dr.Store.Get(clusterRoles, null, "view"));
        Assert.NotNull(Dr.Store.Get(clusterRoles, null, "shop-reader"));
        var bindings = Dr.Store.Types.Single(t => t.Key == "rolebindings.rbac.authorization.k8s.io");
        Assert.All(new[] { "viewers", "metrics", "api-reads-config" }, b => Assert.NotNull(Dr.Store.Get(bindings, "shop", b)));
    }

    [Fact]
    public async Task Create_BadInput_FailsWithOneClearLine()
    {
        var (code, _, error) = await RestoreAsync("--from-backup", "20990101-000000-000000");
        Assert.Equal(2, code);
        Assert.Contains("no backup '20990101-000000-000000'", error, StringComparison.Ordinal);

        (code, _, error) = await RestoreAsync("--from-backup", "x", "--namespace-mappings", "shop");
        Assert.Equal(2, code);
        Assert.Contains("--namespace-mappings: 'shop' is not source:target", error, StringComparison.Ordinal);
    }

    private static byte[] CraftArchive(params (string Name, TarEntryType Type)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            foreach (var (name, type) in entries)
            {
                var entry = new GnuTarEntry(type, name);
                if (type == TarEntryType.RegularFile)
                {
                    var doc = new JsonObject
                    {
                        ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Path.GetFileNameWithoutExtension(name) },
                    }.ToJsonString();
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(doc));
                }
                else
                {
                    entry.LinkName = "/etc/shadow";
                }

                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    private async Task WriteBackupAsync(string prefix, byte[] archive)
    {
        var folder = Path.Combine(Store, prefix);
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, ArtifactLayout.ResourcesArchive), archive);
        var manifest = new JsonObject
        {
            ["formatVersion"] = 1,
            ["tool"] = new JsonObject { ["name"] = "strata", ["version"] = "0.0.0" },
            ["backupId"] = prefix.Split('/')[3],
            ["cluster"] = "prod",
            ["policy"] = "adhoc",
            ["serverVersion"] = "v1.31.4",
            ["scope"] = new JsonObject
            {
                ["includeNamespaces"] = new JsonArray(), ["excludeNamespaces"] = new JsonArray(), ["includeResources"] = new JsonArray(),
                ["excludeResources"] = new JsonArray(), ["clusterResources"] = "auto", ["skipGitOpsManaged"] = false,
            },
            ["startedAt"] = "2026-01-01T00:00:00Z",
            ["completedAt"] = "2026-01-01T00:00:01Z",
            ["status"] = "Succeeded",
            ["counts"] = new JsonObject { ["total"] = 2, ["byResource"] = new JsonObject(), ["byNamespace"] = new JsonObject() },
            ["gitOps"] = new JsonObject { ["managed"] = 0, ["skipped"] = 0, ["byManager"] = new JsonObject(), ["objects"] = new JsonArray() },
            ["artifacts"] = new JsonArray(new JsonObject
            {
                ["path"] = ArtifactLayout.ResourcesArchive, ["size"] = archive.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(archive)),
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, ArtifactLayout.Manifest), manifest.ToJsonString());
    }
}
