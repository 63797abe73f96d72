using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// Client-side encryption and signed manifests end to end, through the CLI against sandbox API servers, with the store
/// in a local folder and in Azurite: a policy backup stores no Secret value in plaintext; a restore recreates the Secrets
/// byte for byte; <c>strata decrypt</c> writes what <c>tools/decrypt/strata_decrypt.py</c> writes; a tampered or
/// replaced manifest, a wrong key, a key no one holds are each refused, named; <c>strata key rewrap</c> lets a new key
/// decrypt; an old unsigned backup still restores, reported unsigned.
/// </summary>
public sealed class EncryptionCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Policies = """
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            verification:
              drill: { readiness: false, timeout: 2m }
        """;

    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");
    private readonly string _kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string Encryption(string keys = "    - name: local\n      secret: { env: STRATA_KEK }") =>
        "encryption:\n  keys:\n" + keys + "\n  signing:\n    hmac: { env: STRATA_SIGNING_KEY }\n";

    private async Task<ControlPlaneWorld> StartAsync(string? encryption = null)
    {
        var world = await ControlPlaneWorld.StartAsync(Policies, alerts: encryption ?? Encryption());
        world.Variables["STRATA_KEK"] = _kek;
        world.Variables["STRATA_SIGNING_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        world.Variables["HOME"] = world.Dir.Path;
        world.Variables["KUBECONFIG"] = world.Dir.File("dr.yaml", world.Dr.Kubeconfig("dr")) + ":" + world.Dir.File("prod.yaml", world.Prod.Kubeconfig("prod"));
        var value = Convert.ToBase64String(Encoding.UTF8.GetBytes(_canary));
        world.Prod.Create(SampleApplication.Obj("v1", "Secret", "shop", "canary",
            annotations: new() { ["kubectl.kubernetes.io/last-applied-configuration"] = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":{\"token\":\"" + value + "\"}}" },
            extra: o => o["data"] = new JsonObject { ["token"] = value, ["binary"] = Convert.ToBase64String([0, 1, 2, 255, 254]) }));
        await world.LoadAsync();
        return world;
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<JsonObject> BackUpAsync(ControlPlaneWorld world, params string[] store)
    {
        var (code, output, error) = await RunAsync(world, ["backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "-o", "json",
            .. store.Length == 0 ? ["--store", world.Store] : store]);
        Assert.True(code == 0, error + output);
        return JsonNode.Parse(output)!.AsObject();
    }

    private static Task<(int Code, string Out, string Error)> RestoreAsync(ControlPlaneWorld world, string backupId, params string[] extra) =>
        RunAsync(world, ["restore", "create", "--from-backup", backupId, "--to-context", "dr",
            .. extra.Contains("-o") ? [] : new[] { "-o", "json" }, .. extra.Contains("--store") ? [] : new[] { "--store", world.Store }, .. extra]);

    private static string Id(JsonObject backup) => backup["id"]!.GetValue<string>();

    private static string Folder(ControlPlaneWorld world, JsonObject backup) => Path.Combine(world.Store, backup["location"]!.GetValue<string>());

    /// <summary>The canary's plaintext and base64, and the sample Secret's password, in every stored byte (and inside every gzip).</summary>
    private IEnumerable<string> Canaries() =>
        [_canary, Convert.ToBase64String(Encoding.UTF8.GetBytes(_canary)), "demo-only-not-a-secret", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-only-not-a-secret"))];

    private void AssertNoCanary(string name, byte[] stored)
    {
        var views = new List<byte[]> { stored };
        if (stored is [0x1f, 0x8b, ..])
        {
            using var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            views.Add(plain.ToArray());
        }

        foreach (var canary in Canaries())
        {
            var needle = Encoding.UTF8.GetBytes(canary);
            Assert.False(views.Any(v => v.AsSpan().IndexOf(needle) >= 0), $"{name} holds '{canary}' in plaintext");
        }
    }

    /// <summary>The data, stringData and annotations of every Secret in <paramref name="ns"/> of <paramref name="server"/>.</summary>
    private static SortedDictionary<string, string> Secrets(SandboxApiServer server, string ns)
    {
        var type = server.Store.FindType("", "secrets")!;
        return new(server.Store.Open(type).Items.Where(s => s.Namespace == ns).ToDictionary(
            s => s.Name,
            s =>
            {
                var json = s.ToJson("v1", "Secret");
                return (json["data"]?.ToJsonString() ?? "") + "|" + (json["stringData"]?.ToJsonString() ?? "") + "|"
                    + (json["metadata"]!["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"]?.ToJsonString() ?? "");
            }), StringComparer.Ordinal);
    }



    /// <summary>Asserts that <c>strata decrypt</c> wrote into <paramref name="strata"/> exactly what strata_decrypt.py wrote into <paramref name="python"/>; the tree.</summary>
    private static SortedDictionary<string, byte[]> AssertSameTree(string strata, string python)
    {
        var expected = StrataDecryptScript.Tree(strata);
        Assert.Equal(expected.Keys, StrataDecryptScript.Tree(python).Keys);
        foreach (var (path, bytes) in StrataDecryptScript.Tree(python))
        {
            Assert.True(expected[path].AsSpan().SequenceEqual(bytes), $"{path} differs between strata decrypt and strata_decrypt.py");
        }

        Assert.Contains(expected.Keys, k => k.StartsWith("resources/core/v1/secrets/", StringComparison.Ordinal));
        return expected;
    }

    /// <summary>The names of the namespaces on <paramref name="server"/>.</summary>
    private static SortedSet<string> Namespaces(SandboxApiServer server) =>
        new(server.Store.Open(server.Store.FindType("", "namespaces")!).Items.Select(n => n.Name), StringComparer.Ordinal);

    [Fact]
    public async Task BackupRestoreDecrypt_LocalStore_NoPlaintextStored_SecretsRestoredByteForByte_DecryptEqualsPython()
    {
        await using var world = await StartAsync();

        var backup = await BackUpAsync(world);

        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        Assert.Equal("Valid", backup["verification"]!["signature"]!["state"]!.GetValue<string>());
        foreach (var file in Directory.EnumerateFiles(world.Store, "*", SearchOption.AllDirectories))
        {
            AssertNoCanary(file, await File.ReadAllBytesAsync(file));
        }

        Assert.True(File.Exists(Path.Combine(Folder(world, backup), ArtifactLayout.ManifestSignature)));

        var (code, output, error) = await RestoreAsync(world, Id(backup), "--config", world.ConfigPath);

        Assert.True(code == 0, error + output);
        var restore = JsonNode.Parse(output)!;
        Assert.Equal("Valid", restore["signature"]!["state"]!.GetValue<string>());
        Assert.Equal(Secrets(world.Prod, "shop"), Secrets(world.Dr, "shop"));
        Assert.Contains(_canary, Encoding.UTF8.GetString(Convert.FromBase64String(
            world.Dr.Store.Get(world.Dr.Store.FindType("", "secrets")!, "shop", "canary")!.ToJson("v1", "Secret")["data"]!["token"]!.GetValue<string>())));

        // strata decrypt and the Python recipe write the same tree, byte for byte.
        var strata = Path.Combine(world.Dir.Path, "decrypted");
        var (decryptCode, decryptOut, decryptError) = await RunAsync(world, "decrypt", "--backup", Id(backup), "--config", world.ConfigPath, "--key", "env:STRATA_KEK", "--output", strata, "--store", world.Store);
        Assert.True(decryptCode == 0, decryptError + decryptOut);
        Assert.Contains("Signature", decryptOut);
        var keyFile = world.Dir.File("kek.b64", _kek);
        var python = Path.Combine(world.Dir.Path, "python");
        var run = await StrataDecryptScript.RunAsync(Folder(world, backup), "--key", keyFile, "--output", python);
        Assert.True(run.ExitCode == 0, $"strata_decrypt.py exited {run.ExitCode}: {run.Stderr}");
        var expected = AssertSameTree(strata, python);
        Assert.Contains(_canary, Encoding.UTF8.GetString(Convert.FromBase64String(
            JsonNode.Parse(expected["resources/core/v1/secrets/namespaces/shop/canary.json"])!["data"]!["token"]!.GetValue<string>())));
        if (!OperatingSystem.IsWindows())
        {
            // Plaintext Secrets: the folder and every folder under it 0700, every file 0600, whatever the umask.
            const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            foreach (var root in new[] { strata, python })
            {
                Assert.Equal(ReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(root));
                foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
                {
                    Assert.Equal(ReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
                }

                foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                {
                    Assert.Equal(ReadWrite, File.GetUnixFileMode(file));
                }
            }
        }

        // A second decrypt into the same (now not empty) folder is refused.
        var (again, _, againError) = await RunAsync(world, "decrypt", "--backup", Id(backup), "--config", world.ConfigPath, "--key", "env:STRATA_KEK", "--output", strata, "--store", world.Store);
        Assert.Equal(2, again);
        Assert.Contains("exists and is not empty", againError);
    }

    [Fact]
    public async Task Decrypt_TamperedArchive_RefusedAndLeavesNothing()
    {
        await using var world = await StartAsync();
        var backup = await BackUpAsync(world);
        var archive = Path.Combine(Folder(world, backup), ArtifactLayout.ResourcesArchive);
        var bytes = await File.ReadAllBytesAsync(archive);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(archive, bytes);
        var output = Path.Combine(world.Dir.Path, "decrypted");

        var (code, _, error) = await RunAsync(world, "decrypt", "--backup", Id(backup), "--config", world.ConfigPath, "--key", "env:STRATA_KEK", "--output", output, "--store", world.Store);

        Assert.Equal(2, code);
        Assert.Contains(ArtifactLayout.ResourcesArchive, error);
        Assert.Contains("was deleted", error);
        Assert.False(Path.Exists(output), "a failed decrypt leaves no plaintext behind");
    }

    [Fact]
    public async Task Decrypt_FolderOpenToGroup_RefusedNamingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes
        }

        await using var world = await StartAsync();
        var backup = await BackUpAsync(world);
        var output = Path.Combine(world.Dir.Path, "shared");
        Directory.CreateDirectory(output);
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var (code, _, error) = await RunAsync(world, "decrypt", "--backup", Id(backup), "--config", world.ConfigPath, "--key", "env:STRATA_KEK", "--output", output, "--store", world.Store);

        Assert.Equal(2, code);
        Assert.Contains($"{output} exists with mode 0750", error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task BackupRestore_AzuriteStore_NoPlaintextInAnyBlob_SecretsRestoredByteForByte()
    {
        await using var world = await StartAsync();
        var container = AzuriteFixture.UniqueName("enc");
        string[] remote = ["--store", azurite.ConnectionString, "--store-container", container, "--history", azurite.ConnectionString];

        var backup = await BackUpAsync(world, remote);

        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        var blobs = azurite.Account.CreateBlobServiceClient().GetBlobContainerClient(container);
        var names = new List<string>();
        await foreach (var blob in blobs.GetBlobsAsync())
        {
            names.Add(blob.Name);
            AssertNoCanary(blob.Name, (await blobs.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray());
        }

        Assert.Contains(names, n => n.EndsWith("/" + ArtifactLayout.ManifestSignature, StringComparison.Ordinal));

        var (code, output, error) = await RestoreAsync(world, Id(backup), ["--config", world.ConfigPath, .. remote]);

        Assert.True(code == 0, error + output);
        Assert.Equal(Secrets(world.Prod, "shop"), Secrets(world.Dr, "shop"));

        var strata = Path.Combine(world.Dir.Path, "decrypted");
        var (decryptCode, _, decryptError) = await RunAsync(world, ["decrypt", "--backup", Id(backup), "--config", world.ConfigPath, "--key", "env:STRATA_KEK", "--output", strata, .. remote]);
        Assert.True(decryptCode == 0, decryptError);

        // The backup's blobs downloaded as az storage blob download-batch would, then the Python recipe on them: the same tree.
        var location = backup["location"]!.GetValue<string>().TrimEnd('/') + "/";
        var downloaded = Path.Combine(world.Dir.Path, "blobs");
        foreach (var name in names.Where(n => n.StartsWith(location, StringComparison.Ordinal)))
        {
            var file = Path.Combine(downloaded, name[location.Length..].Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await blobs.GetBlobClient(name).DownloadToAsync(file);
        }

        var python = Path.Combine(world.Dir.Path, "python");
        var run = await StrataDecryptScript.RunAsync(downloaded, "--key", world.Dir.File("kek.b64", _kek), "--output", python);
        Assert.True(run.ExitCode == 0, $"strata_decrypt.py exited {run.ExitCode}: {run.Stderr}");
        var tree = AssertSameTree(strata, python);
        Assert.Contains(_canary, Encoding.UTF8.GetString(Convert.FromBase64String(
            JsonNode.Parse(tree["resources/core/v1/secrets/namespaces/shop/canary.json"])!["data"]!["token"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Decrypt_Output_EveryDocumentIsCreatedOnAnEmptyCluster_AsKubectlApplyWould()
    {
        await using var world = await StartAsync();
        var backup = await BackUpAsync(world);
        var output = Path.Combine(world.Dir.Path, "decrypted");
        var (code, _, error) = await RunAsync(world, "decrypt", "--backup", Id(backup), "--config", world.ConfigPath, "--key", "env:STRATA_KEK", "--output", output, "--store", world.Store);
        Assert.True(code == 0, error);

        // Namespaces first, then CRDs, then the rest (docs/encryption.md); each document POSTed to its collection as it is
        // on disk, as kubectl apply creates an object that is not there. One a new cluster has already (its own
        // namespaces, say) kubectl apply would patch: those are not creates.
        var documents = StrataDecryptScript.Tree(output).Where(f => f.Key.StartsWith("resources/", StringComparison.Ordinal))
            .OrderBy(f => f.Key.Contains("/namespaces/", StringComparison.Ordinal) && f.Key.Split('/').Length == 5 ? 0 : f.Key.Contains("/customresourcedefinitions/", StringComparison.Ordinal) ? 1 : 2)
            .ThenBy(f => f.Key, StringComparer.Ordinal).ToList();
        using var http = SandboxHttp.Create(world.Dr, world.Dr.AdminToken);
        var created = new List<string>();
        var refused = new List<string>();
        foreach (var (path, bytes) in documents)
        {
            var segments = path.Split('/');
            var collection = (segments[1] == "core" ? $"/api/{segments[2]}" : $"/apis/{segments[1]}/{segments[2]}")
                + (segments.Length == 7 ? $"/namespaces/{segments[5]}" : "") + "/" + segments[3];
            using (var existing = await http.GetAsync(collection + "/" + segments[^1][..^".json".Length]))
            {
                if (existing.IsSuccessStatusCode)
                {
                    continue;
                }
            }

            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(collection, content);
            (response.StatusCode == System.Net.HttpStatusCode.Created ? created : refused).Add($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Empty(refused);
        Assert.Contains(created, c => c.StartsWith("resources/core/v1/secrets/namespaces/shop/canary.json", StringComparison.Ordinal));
        Assert.Contains(created, c => c.StartsWith("resources/apps/v1/deployments/", StringComparison.Ordinal));
        Assert.Contains(created, c => c.StartsWith("resources/core/v1/configmaps/namespaces/shop/checkout-settings.json", StringComparison.Ordinal)); // had an owner
        Assert.Equal(Secrets(world.Prod, "shop"), Secrets(world.Dr, "shop"));
    }

    [Fact]
    public async Task TamperedManifest_OneHashChanged_IsRefusedByVerifyRestoreAndDrill_NamingTheSignature()
    {
        await using var world = await StartAsync();
        var backup = await BackUpAsync(world);
        var manifestPath = Path.Combine(Folder(world, backup), ArtifactLayout.Manifest);
        var manifest = JsonNode.Parse(await File.ReadAllBytesAsync(manifestPath))!;
        var artifact = manifest["artifacts"]![0]!;
        var sha = artifact["sha256"]!.GetValue<string>();
        artifact["sha256"] = (sha[0] == '0' ? "1" : "0") + sha[1..];
        Overwrite(manifestPath, Encoding.UTF8.GetBytes(manifest.ToJsonString()));

        // The drill first: a verification that fails marks the backup, and a drill then refuses it for that alone.
        var namespaces = Namespaces(world.Prod);
        var (drillCode, drillOut, drillError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod",
            "--backup", Id(backup), "--store", world.Store, "-o", "json");
        Assert.True(drillCode != 0, drillError + drillOut);
        Assert.Contains("manifest was changed after it was signed", drillOut + drillError);
        Assert.Equal(namespaces, Namespaces(world.Prod)); // no scratch namespace on the drill target (the backup's own cluster)

        var (restoreCode, _, restoreError) = await RestoreAsync(world, Id(backup), "--config", world.ConfigPath);
        Assert.Equal(2, restoreCode);
        Assert.Contains($"backup {Id(backup)}", restoreError);
        Assert.Contains("manifest was changed after it was signed", restoreError);
        Assert.Contains("nothing was restored", restoreError);
        Assert.Null(world.Dr.Store.Get(world.Dr.Store.FindType("", "secrets")!, "shop", "canary"));

        var (verifyCode, verifyOut, verifyError) = await RunAsync(world, "backup", "verify", Id(backup), "--config", world.ConfigPath, "--store", world.Store, "-o", "json");
        Assert.True(verifyCode == 1, verifyError + verifyOut);
        var verified = JsonNode.Parse(verifyOut)!;
        Assert.Equal("VerificationFailed", verified["status"]!.GetValue<string>());
        var finding = verified["verification"]!["findings"]!.AsArray().Single()!;
        Assert.Equal("signature", finding["check"]!.GetValue<string>());
        Assert.Contains("manifest was changed after it was signed", finding["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ManifestAndArchiveReplacedTogether_AreDetectedByTheSignature()
    {
        await using var world = await StartAsync();
        var first = await BackUpAsync(world);
        world.Prod.Create(SampleApplication.Obj("v1", "ConfigMap", "shop", "planted", extra: o => o["data"] = new JsonObject { ["x"] = "y" }));
        var second = await BackUpAsync(world);

        // Someone with write access to the store puts the second backup's archive under the first, and a manifest whose
        // hash and size agree with it: every hash checks out, only the signature does not.
        var folder = Folder(world, first);
        var archive = await File.ReadAllBytesAsync(Path.Combine(Folder(world, second), ArtifactLayout.ResourcesArchive));
        Overwrite(Path.Combine(folder, ArtifactLayout.ResourcesArchive), archive);
        var manifest = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, ArtifactLayout.Manifest)))!;
        var entry = manifest["artifacts"]!.AsArray().Single(a => a!["path"]!.GetValue<string>() == ArtifactLayout.ResourcesArchive)!;
        entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(archive));
        entry["size"] = archive.Length;
        Overwrite(Path.Combine(folder, ArtifactLayout.Manifest), Encoding.UTF8.GetBytes(manifest.ToJsonString()));

        var (restoreCode, _, restoreError) = await RestoreAsync(world, Id(first), "--config", world.ConfigPath);

        Assert.Equal(2, restoreCode);
        Assert.Contains("manifest was changed after it was signed", restoreError);
        Assert.Null(world.Dr.Store.Get(world.Dr.Store.FindType("", "configmaps")!, "shop", "planted"));
        var (verifyCode, verifyOut, _) = await RunAsync(world, "backup", "verify", Id(first), "--config", world.ConfigPath, "--store", world.Store, "-o", "json");
        Assert.Equal(1, verifyCode);
        var finding = JsonNode.Parse(verifyOut)!["verification"]!["findings"]!.AsArray().Single()!;
        Assert.Equal(("signature", "manifest.sig"), (finding["check"]!.GetValue<string>(), finding["artifact"]!.GetValue<string>()));
    }

    /// <summary>Puts the second backup's archive under the first with a manifest that agrees with it, as someone with write access to the store could.</summary>
    private static async Task<byte[]> ReplaceManifestAndArchiveAsync(ControlPlaneWorld world, JsonObject first, JsonObject second)
    {
        var folder = Folder(world, first);
        var archive = await File.ReadAllBytesAsync(Path.Combine(Folder(world, second), ArtifactLayout.ResourcesArchive));
        Overwrite(Path.Combine(folder, ArtifactLayout.ResourcesArchive), archive);
        var manifest = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, ArtifactLayout.Manifest)))!;
        var entry = manifest["artifacts"]!.AsArray().Single(a => a!["path"]!.GetValue<string>() == ArtifactLayout.ResourcesArchive)!;
        entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(archive));
        entry["size"] = archive.Length;
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        Overwrite(Path.Combine(folder, ArtifactLayout.Manifest), bytes);
        return bytes;
    }

    [Fact]
    public async Task SignatureDeleted_ManifestAndArchiveReplaced_IsRefusedByRestoreAndDrill_NamingTheMissingSignature()
    {
        await using var world = await StartAsync();
        var first = await BackUpAsync(world);
        world.Prod.Create(SampleApplication.Obj("v1", "ConfigMap", "shop", "planted", extra: o => o["data"] = new JsonObject { ["x"] = "y" }));
        var second = await BackUpAsync(world);
        Assert.StartsWith("local:hmac:", first["signedBy"]!.GetValue<string>(), StringComparison.Ordinal); // the run history knows it was signed
        await ReplaceManifestAndArchiveAsync(world, first, second);
        var signature = Path.Combine(Folder(world, first), ArtifactLayout.ManifestSignature);
        File.SetAttributes(signature, FileAttributes.Normal);
        File.Delete(signature);

        var (drillCode, drillOut, drillError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod",
            "--backup", Id(first), "--store", world.Store, "-o", "json");
        var (restoreCode, _, restoreError) = await RestoreAsync(world, Id(first), "--config", world.ConfigPath);

        Assert.True(drillCode != 0, drillError + drillOut);
        Assert.Contains("the manifest is not signed", drillOut + drillError);
        Assert.Equal(2, restoreCode);
        Assert.Contains("the manifest is not signed", restoreError);
        Assert.Contains("--allow-unsigned", restoreError);
        Assert.Contains("nothing was restored", restoreError);
        Assert.Null(world.Dr.Store.Get(world.Dr.Store.FindType("", "configmaps")!, "shop", "planted"));

        // Without the signature, only encryption stands in the way (the planted archive's Secret values are under another data
        // key). A backup whose signature is gone but whose artifacts are its own goes ahead when asked for by name, reported unsigned.
        var (plantedCode, _, plantedError) = await RestoreAsync(world, Id(first), "--config", world.ConfigPath, "--allow-unsigned");
        Assert.Equal(2, plantedCode);
        Assert.Contains("does not authenticate", plantedError);
        var secondSignature = Path.Combine(Folder(world, second), ArtifactLayout.ManifestSignature);
        File.SetAttributes(secondSignature, FileAttributes.Normal);
        File.Delete(secondSignature);
        var (refusedCode, _, _) = await RestoreAsync(world, Id(second), "--config", world.ConfigPath);
        Assert.Equal(2, refusedCode);
        var (allowedCode, allowedOut, allowedError) = await RestoreAsync(world, Id(second), "--config", world.ConfigPath, "--allow-unsigned");
        Assert.True(allowedCode == 0, allowedError + allowedOut);
        var restore = JsonNode.Parse(allowedOut)!;
        Assert.Equal("Unsigned", restore["signature"]!["state"]!.GetValue<string>());
        Assert.Contains(restore["problems"]!.AsArray(), p => p!["reason"]?.GetValue<string>() == "Unsigned");
    }

    [Fact]
    public async Task SignatureForgedWithAnotherKey_ManifestAndArchiveReplaced_IsRefusedByRestore_NamingTheKey()
    {
        await using var world = await StartAsync();
        var first = await BackUpAsync(world);
        world.Prod.Create(SampleApplication.Obj("v1", "ConfigMap", "shop", "planted", extra: o => o["data"] = new JsonObject { ["x"] = "y" }));
        var second = await BackUpAsync(world);
        var manifest = await ReplaceManifestAndArchiveAsync(world, first, second);
        var forger = Strata.Adapters.Encryption.HmacManifestSigner.FromBytes(RandomNumberGenerator.GetBytes(32));
        var forged = await forger.SignAsync(manifest);
        Overwrite(Path.Combine(Folder(world, first), ArtifactLayout.ManifestSignature),
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(forged, Strata.Core.Serialization.StrataJson.Default.ManifestSignature));

        var (restoreCode, _, restoreError) = await RestoreAsync(world, Id(first), "--config", world.ConfigPath);
        var (decryptCode, _, decryptError) = await RunAsync(world, "decrypt", "--backup", Id(first), "--config", world.ConfigPath, "--output", Path.Combine(world.Dir.Path, "out"), "--store", world.Store);

        Assert.Equal(2, restoreCode);
        Assert.Contains(forged.KeyId, restoreError);
        Assert.Contains("--allow-unsigned", restoreError);
        Assert.Null(world.Dr.Store.Get(world.Dr.Store.FindType("", "configmaps")!, "shop", "planted"));
        Assert.Equal(2, decryptCode);
        Assert.Contains(forged.KeyId, decryptError);
    }

    [Fact]
    public async Task WrongKey_IsRefused_NamingTheKeysTheBackupIsWrappedFor()
    {
        await using var world = await StartAsync();
        var backup = await BackUpAsync(world);
        world.Variables["OTHER_KEK"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        // No strata.yaml here, so nothing checks the (valid) signature of this signed backup: past it by name, to the keys.
        var (code, _, error) = await RestoreAsync(world, Id(backup), "--key", "env:OTHER_KEK", "--allow-unsigned");

        Assert.Equal(2, code);
        Assert.Contains($"backup {Id(backup)} is encrypted, and no key unwraps its data key", error);
        Assert.Contains("Wrapped for: local:aes:", error);
        Assert.Contains("(local)", error);
        Assert.Contains("Tried: env:OTHER_KEK", error);
        Assert.DoesNotContain(_kek, error);
        Assert.Null(world.Dr.Store.Get(world.Dr.Store.FindType("", "namespaces")!, null, "shop"));

        var (decryptCode, _, decryptError) = await RunAsync(world, "decrypt", "--backup", Id(backup), "--key", "env:OTHER_KEK", "--allow-unsigned", "--output", Path.Combine(world.Dir.Path, "out"), "--store", world.Store);
        Assert.Equal(2, decryptCode);
        Assert.Contains("no key unwraps its data key", decryptError);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("none")]
    public async Task DrillRun_WrongOrNoKey_OneErrorNamingIt_NothingCreatedOnTheTarget(string key)
    {
        await using var world = await StartAsync();
        var backup = await BackUpAsync(world);
        if (key == "wrong")
        {
            world.Variables["STRATA_KEK"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }
        else
        {
            // strata.yaml keeps its signing key (so the signature is still checked, and valid) but names no key-encryption key.
            File.WriteAllText(world.ConfigPath, File.ReadAllText(world.ConfigPath).Replace("  keys:\n    - name: local\n      secret: { env: STRATA_KEK }\n", "", StringComparison.Ordinal));
            Assert.DoesNotContain("STRATA_KEK", File.ReadAllText(world.ConfigPath));
        }

        var namespaces = Namespaces(world.Prod);

        var (code, output, error) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod",
            "--backup", Id(backup), "--store", world.Store, "-o", "json");

        Assert.True(code == 1, $"exit {code}: {error}{output}"); // docs/drills.md: 1 failed
        var drill = JsonNode.Parse(output)!;
        Assert.Equal("Failed", drill["status"]!.GetValue<string>());
        var message = drill["error"]!.GetValue<string>();
        Assert.Contains($"backup {Id(backup)} is encrypted, and no key unwraps its data key", message);
        Assert.Contains("Wrapped for: local:aes:", message);
        Assert.Contains(key == "wrong" ? "Tried: local on local:aes:" : "Tried: no key is configured", message);
        Assert.EndsWith("nothing was restored", message, StringComparison.Ordinal);
        Assert.Empty(drill["refused"]!.AsArray());
        Assert.Empty(drill["assertions"]!.AsArray());
        Assert.Empty(drill["warnings"]!.AsArray());

        // The one error, as the record, the worker's log line and the drill-failed alert carry it: no second failure.
        Assert.All(error.Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase)), l => Assert.Contains(message, l, StringComparison.Ordinal));
        Assert.DoesNotContain(_kek, output + error);
        Assert.Equal(namespaces, Namespaces(world.Prod)); // no scratch namespace on the drill target
        Assert.True(drill["namespaces"] is null || drill["namespaces"]!.AsObject().Count == 0, drill["namespaces"]?.ToJsonString());
    }

    [Fact]
    public async Task KeyNoOneHolds_IsRefused_NamingIt()
    {
        // The only key is an RSA public key: backups are wrapped for its private half, held elsewhere (an escrow key).
        using var rsa = RSA.Create(2048);
        var world = await ControlPlaneWorld.StartAsync(Policies);
        await using (world)
        {
            var pem = world.Dir.File("escrow.pub.pem", rsa.ExportSubjectPublicKeyInfoPem());
            world.Dir.File("strata.yaml", File.ReadAllText(world.ConfigPath) + $"encryption:\n  keys:\n    - name: escrow\n      file: {pem}\n");
            world.Variables["HOME"] = world.Dir.Path;
            world.Variables["KUBECONFIG"] = world.Dir.File("dr.yaml", world.Dr.Kubeconfig("dr"));
            await world.LoadAsync();

            // The backup cannot be verified here (nothing here unwraps), so it stays unverified: but it is stored encrypted.
            var (backupCode, backupOut, backupError) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store, "-o", "json");
            Assert.True(backupCode == 2, backupError + backupOut);
            var backup = JsonNode.Parse(backupOut)!.AsObject();
            Assert.Equal("VerificationFailed", backup["status"]!.GetValue<string>());
            Assert.Contains("wraps only", backup["verification"]!["findings"]![0]!["message"]!.GetValue<string>());

            var (code, _, error) = await RestoreAsync(world, Id(backup), "--config", world.ConfigPath);

            Assert.Equal(2, code);
            Assert.Contains("Wrapped for: local:rsa:", error);
            Assert.Contains("escrow: wraps only", error);

            // The private half, given on the command line, unwraps it.
            var key = world.Dir.File("escrow.pem", rsa.ExportPkcs8PrivateKeyPem());
            var (withKey, output, withKeyError) = await RestoreAsync(world, Id(backup), "--key", $"file:{key}");
            Assert.True(withKey == 0, withKeyError + output);
        }
    }

    [Fact]
    public async Task Rewrap_ThenDecryptWithOnlyTheNewKey_Works()
    {
        await using var world = await StartAsync();
        var backup = await BackUpAsync(world);
        var newKek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        world.Variables["NEW_KEK"] = newKek;
        var artifactsBefore = StrataDecryptScript.Tree(Folder(world, backup));

        var (code, output, error) = await RunAsync(world, "key", "rewrap", "--backup", Id(backup), "--key", "env:STRATA_KEK", "--new-key", "env:NEW_KEK", "--store", world.Store, "-o", "json");

        Assert.True(code == 0, error + output);
        var result = JsonNode.Parse(output)!;
        Assert.Equal(2, result["keys"]!.AsArray().Count);
        Assert.StartsWith(Folder(world, backup), Path.Combine(world.Store, result["sidecar"]!.GetValue<string>()), StringComparison.Ordinal);
        var after = StrataDecryptScript.Tree(Folder(world, backup));
        Assert.All(artifactsBefore, a => Assert.Equal(a.Value, after[a.Key])); // nothing rewritten
        Assert.Single(after.Keys.Except(artifactsBefore.Keys), k => k.StartsWith(ArtifactLayout.KeysFolder, StringComparison.Ordinal));

        world.Variables.Remove("STRATA_KEK");
        var strata = Path.Combine(world.Dir.Path, "decrypted");
        var (decryptCode, _, decryptError) = await RunAsync(world, "decrypt", "--backup", Id(backup), "--config", world.ConfigPath, "--key", "env:NEW_KEK", "--output", strata, "--store", world.Store);
        Assert.True(decryptCode == 0, decryptError);
        Assert.Contains(_canary, Encoding.UTF8.GetString(Convert.FromBase64String(
            JsonNode.Parse(File.ReadAllBytes(Path.Combine(strata, "resources", "core", "v1", "secrets", "namespaces", "shop", "canary.json")))!["data"]!["token"]!.GetValue<string>())));
    }

    [Fact]
    public async Task OldUnsignedBackup_StillRestores_ReportedUnsigned()
    {
        await using var world = await StartAsync();

        // A backup from before encryption: no keys, no signature, format 1.
        var (code, output, error) = await RunAsync(world, "backup", "create", "--context", "prod", "--store", world.Store, "-o", "json");
        Assert.True(code == 0, error);
        var backup = JsonNode.Parse(output)!.AsObject();
        var manifestPath = Path.Combine(Folder(world, backup), ArtifactLayout.Manifest);
        var manifest = JsonNode.Parse(await File.ReadAllBytesAsync(manifestPath))!;
        manifest["formatVersion"] = 1;
        Overwrite(manifestPath, Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        Assert.False(File.Exists(Path.Combine(Folder(world, backup), ArtifactLayout.ManifestSignature)));

        var (restoreCode, restoreOut, restoreError) = await RestoreAsync(world, Id(backup), "--config", world.ConfigPath);

        Assert.True(restoreCode == 0, restoreError + restoreOut);
        var restore = JsonNode.Parse(restoreOut)!;
        Assert.Equal("Unsigned", restore["signature"]!["state"]!.GetValue<string>());
        Assert.Contains(restore["problems"]!.AsArray(), p => p!["reason"]?.GetValue<string>() == "Unsigned");
        Assert.Equal(Secrets(world.Prod, "shop"), Secrets(world.Dr, "shop"));

        var (_, table, _) = await RestoreAsync(world, Id(backup), "--config", world.ConfigPath, "--dry-run", "-o", "table");
        Assert.Contains("Signature: unsigned", table);
    }

    /// <summary>Replaces a stored file the way someone with write access to the store would (the store itself never overwrites).</summary>
    private static void Overwrite(string path, byte[] bytes)
    {
        File.SetAttributes(path, FileAttributes.Normal);
        File.Delete(path);
        File.WriteAllBytes(path, bytes);
    }
}
