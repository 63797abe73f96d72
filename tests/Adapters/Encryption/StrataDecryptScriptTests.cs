using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Adapters.Encryption;
using Strata.Adapters.Local;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Encryption;

/// <summary>
/// tools/decrypt/strata_decrypt.py (Python's cryptography, no Strata) and <see cref="PlaintextExport"/> write the
/// same bytes from the same encrypted backup: the format in docs/encryption.md is all a reader needs. Fails (does
/// not skip) when /usr/bin/python3 or its cryptography package is missing: .ci/run installs python3-cryptography.
/// </summary>
public sealed class StrataDecryptScriptTests : IDisposable
{
    private const string Password = "p\u00e4ss\"w\\rd\u0001\n\t\u00fc\u20ac\ud83d\udd11 \u0000end";

    private static readonly ApiResource Secrets = new("", "v1", "secrets", "Secret", true, ["get", "list"]);
    private static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, ["get", "list"]);
    private static readonly ApiResource Namespaces = new("", "v1", "namespaces", "Namespace", false, ["get", "list"]);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("strata-decrypt-");
    private readonly string _prefix = ArtifactLayout.BackupPrefix("prod", "nightly", "20261130-010000-abcdef");

    public enum Kek
    {
        Rsa,
        Aes,

        /// <summary>The script is given the data key itself (--data-key: after a Key Vault break-glass unwrap).</summary>
        DataKey,
    }

    [Theory]
    [InlineData(Kek.Rsa)]
    [InlineData(Kek.Aes)]
    [InlineData(Kek.DataKey)]
    public async Task StrataDecrypt_EncryptedBackup_WritesWhatPlaintextExportWrites(Kek kind)
    {
        var (kek, keyFile) = CreateKek(kind);
        var store = new LocalFolderArtifactStore(Path.Combine(_folder.FullName, "store"));
        using var dataKey = DataKey.Create();
        var (manifest, manifestBytes) = await WriteBackupAsync(store, dataKey, kek, sidecar: kind == Kek.Aes);

        var python = Path.Combine(_folder.FullName, "python");
        var run = kind == Kek.DataKey
            ? await StrataDecryptScript.RunAsync(Path.Combine(store.Location, _prefix), "--data-key", Convert.ToBase64String(dataKey.Bytes), "--output", python)
            : await StrataDecryptScript.RunAsync(Path.Combine(store.Location, _prefix), "--key", keyFile, "--output", python);
        Assert.True(run.ExitCode == 0, $"strata_decrypt.py exited {run.ExitCode}: {run.Stderr}");

        var dotnet = Path.Combine(_folder.FullName, "dotnet");
        var wrappings = await SidecarsAsync(store);
        using var unwrapped = await kek.UnwrapAsync(manifest.Encryption!.WrappedKeys.Concat(wrappings).First(kek.Matches));
        var view = new BackupCipherStore(store, _prefix, unwrapped, manifest.Encryption.EncryptedArtifacts.Contains);
        var summary = await PlaintextExport.ExportAsync(view, _prefix, manifest, manifestBytes, unwrapped, (path, ct) => CreateAsync(dotnet, path));

        var expected = StrataDecryptScript.Tree(dotnet);
        Assert.Equal(expected.Keys, StrataDecryptScript.Tree(python).Keys);
        foreach (var (path, bytes) in StrataDecryptScript.Tree(python))
        {
            Assert.True(expected[path].AsSpan().SequenceEqual(bytes), $"{path} differs between strata_decrypt.py and PlaintextExport");
        }

        Assert.Equal((expected.Count, expected.Values.Sum(b => (long)b.Length), 2), (summary.Files, summary.Bytes, summary.SecretsDecrypted));
        var secret = Encoding.UTF8.GetString(expected["resources/core/v1/secrets/namespaces/shop/db.json"]);
        Assert.DoesNotContain("strata:v1:", secret);
        Assert.Contains("\"password\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)) + "\"", secret);
        Assert.Contains("p\u00e4ss\\\"w\\\\rd\\u0001\\u000a\\u0009\u00fc\u20ac\ud83d\udd11 \\u0000end", secret);
        Assert.Contains("wrote " + expected.Count + " files", run.Stdout);
        foreach (var (path, bytes) in expected.Where(e => e.Key.StartsWith("resources/", StringComparison.Ordinal)))
        {
            // Nothing the API server sets is left for kubectl apply to trip over.
            var document = JsonNode.Parse(bytes)!.AsObject();
            Assert.False(document.ContainsKey("status"), path);
            Assert.All(ServerSetFields.Metadata, f => Assert.False(((JsonObject?)document["metadata"])?.ContainsKey(f.Field) == true, $"{path}: metadata.{f.Field}"));
        }

        Assert.Equal("{\"metadata\":{},\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}", Encoding.UTF8.GetString(expected["resources/core/v1/configmaps/namespaces/shop/only-server-set.json"]));
        Assert.Contains("\"data\" : { \"status\" : \"kept: not top-level\", \"uid\" : \"kept\" }", Encoding.UTF8.GetString(expected["resources/core/v1/configmaps/namespaces/shop/pretty.json"]));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(python));
            foreach (var folder in Directory.EnumerateDirectories(python, "*", SearchOption.AllDirectories))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            }

            foreach (var file in Directory.EnumerateFiles(python, "*", SearchOption.AllDirectories))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task StrataDecrypt_TamperedDump_RefusesNamingTheArtifactAndChunk()
    {
        var (kek, keyFile) = CreateKek(Kek.Aes);
        var store = new LocalFolderArtifactStore(Path.Combine(_folder.FullName, "store"));
        using var dataKey = DataKey.Create();
        await WriteBackupAsync(store, dataKey, kek, sidecar: false);
        var dump = Path.Combine(store.Location, _prefix, "databases", "shop", "pg", "app.dump");
        var bytes = await File.ReadAllBytesAsync(dump);
        bytes[ChunkedFormat.HeaderSize + ChunkedFormat.DefaultChunkSize + 100] ^= 0x40;
        await File.WriteAllBytesAsync(dump, bytes);

        var output = Path.Combine(_folder.FullName, "out");
        var run = await StrataDecryptScript.RunAsync(Path.Combine(store.Location, _prefix), "--key", keyFile, "--output", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'databases/shop/pg/app.dump': chunk 1 does not authenticate", run.Stderr);
        Assert.False(Path.Exists(output), "the manifest and Secrets written before the tampered dump are deleted");
    }

    [Fact]
    public async Task StrataDecrypt_GroupReadableFolder_RefusedNamingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes
        }

        var (kek, keyFile) = CreateKek(Kek.Aes);
        var store = new LocalFolderArtifactStore(Path.Combine(_folder.FullName, "store"));
        using var dataKey = DataKey.Create();
        await WriteBackupAsync(store, dataKey, kek, sidecar: false);
        var output = Path.Combine(_folder.FullName, "shared");
        Directory.CreateDirectory(output);
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var run = await StrataDecryptScript.RunAsync(Path.Combine(store.Location, _prefix), "--key", keyFile, "--output", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"'{output}' exists with mode 0750", run.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task StrataDecrypt_AnotherKey_NamesTheKeyIdsThatWrapIt()
    {
        var (kek, _) = CreateKek(Kek.Aes);
        var (_, otherKeyFile) = CreateKek(Kek.Rsa);
        var store = new LocalFolderArtifactStore(Path.Combine(_folder.FullName, "store"));
        using var dataKey = DataKey.Create();
        await WriteBackupAsync(store, dataKey, kek, sidecar: false);

        var run = await StrataDecryptScript.RunAsync(Path.Combine(store.Location, _prefix), "--key", otherKeyFile, "--output", Path.Combine(_folder.FullName, "out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("did not wrap this backup's data key", run.Stderr);
        Assert.Contains(await ((LocalAesKeyEncryptionKey)kek).GetKeyIdAsync(), run.Stderr);
    }

    [Theory]
    [InlineData("lone-surrogate")]
    [InlineData("deep")]
    public async Task StrataDecrypt_DocumentSystemTextJsonRefuses_BothRefuseNamingIt_NothingLeft(string kind)
    {
        // Python's json takes both (a lone surrogate as a str, 300 levels under its recursion limit); the reader C# uses does not.
        var path = $"resources/core/v1/configmaps/namespaces/shop/{kind}.json";
        var head = $$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{kind}}","namespace":"shop","uid":"u-1"},""";
        var document = kind == "deep"
            ? head + "\"data\":" + new string('[', 299) + new string(']', 299) + "}"
            : head + "\"data\":{\"\\ud800\":\"x\"}}"; // a member name that is a lone surrogate
        var (kek, keyFile) = CreateKek(Kek.Aes);
        var store = new LocalFolderArtifactStore(Path.Combine(_folder.FullName, "store"));
        using var dataKey = DataKey.Create();
        var (manifest, manifestBytes) = await WriteBackupAsync(store, dataKey, kek, sidecar: false, [(path, document)]);

        var python = Path.Combine(_folder.FullName, "python");
        var run = await StrataDecryptScript.RunAsync(Path.Combine(store.Location, _prefix), "--key", keyFile, "--output", python);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"'{path}': not a JSON document", run.Stderr);
        Assert.False(Path.Exists(python), "what was written before the document is deleted");

        using var unwrapped = await kek.UnwrapAsync(manifest.Encryption!.WrappedKeys.First(kek.Matches));
        var view = new BackupCipherStore(store, _prefix, unwrapped, manifest.Encryption.EncryptedArtifacts.Contains);
        var error = await Assert.ThrowsAsync<ArtifactRejectedException>(() =>
            PlaintextExport.ExportAsync(view, _prefix, manifest, manifestBytes, unwrapped, (p, ct) => CreateAsync(Path.Combine(_folder.FullName, "dotnet"), p)));
        Assert.Contains(path, error.Message);
        Assert.Contains(kind == "deep" ? "not a JSON document" : "half a surrogate pair", error.Message); // the archive reader's words for it
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private (IKeyEncryptionKey Kek, string KeyFile) CreateKek(Kek kind)
    {
        var keyFile = Path.Combine(_folder.FullName, $"kek-{Guid.NewGuid():N}");
        if (kind == Kek.Rsa)
        {
            using var rsa = RSA.Create(2048);
            File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem());
            return (LocalRsaKeyEncryptionKey.FromPemFile("offline", keyFile), keyFile);
        }

        var bytes = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(keyFile, Convert.ToBase64String(bytes) + "\n");
        return (LocalAesKeyEncryptionKey.FromBytes("local", bytes), keyFile);
    }

    // A small backup as capture writes one: objects with encrypted Secret values, a dump spanning chunks, control-plane
    // files (encrypted), a volume record (not), the data key wrapped by another key in the manifest and by the KEK
    // in the manifest or (after a rewrap) in a keys/ sidecar.
    private async Task<(BackupManifest Manifest, byte[] Bytes)> WriteBackupAsync(
        IArtifactStore store, DataKey dataKey, IKeyEncryptionKey kek, bool sidecar, IEnumerable<(string Path, string Json)>? moreDocuments = null)
    {
        var view = new BackupCipherStore(store, _prefix, dataKey, EncryptionPaths.For(EncryptionMode.All));
        var artifacts = new List<ArtifactEntry>();
        await using (var writer = await view.CreateAsync(_prefix + ArtifactLayout.ResourcesArchive))
        {
            await using var archive = new ResourceArchiveWriter(writer.Content, DateTimeOffset.UnixEpoch);
            var encrypt = new EncryptSecretValues(dataKey);
            foreach (var (resource, json) in Objects())
            {
                var obj = new KubeObject((JsonObject)JsonNode.Parse(json)!);
                if (encrypt.AppliesTo(resource))
                {
                    Assert.False(encrypt.Execute(new BackupItem(resource, obj)).IsSkip);
                }

                await archive.WriteEntryAsync(ArtifactLayout.ResourcePath(resource, obj.Namespace, obj.Name), KubeObjectJson.Serialize(obj));
            }

            foreach (var (path, raw) in RawDocuments().Concat(moreDocuments ?? []))
            {
                await archive.WriteEntryAsync(path, Encoding.UTF8.GetBytes(raw));
            }

            artifacts.Add(await archive.CompleteAsync(ArtifactLayout.ResourcesArchive));
            await writer.CommitAsync();
        }

        artifacts.Add(await WriteArtifactAsync(view, ArtifactLayout.DatabaseDumpPath("shop", "pg", "app", ".dump"), RandomNumberGenerator.GetBytes((4 * ChunkedFormat.DefaultChunkSize) + 12_345)));
        artifacts.Add(await WriteArtifactAsync(view, ArtifactLayout.ControlPlaneFilesPath("node-1"), RandomNumberGenerator.GetBytes(ChunkedFormat.DefaultChunkSize)));
        artifacts.Add(await WriteArtifactAsync(view, ArtifactLayout.VolumeRecordPath("shop", "data"), "{\"snapshot\":\"snap-1\"}"u8.ToArray()));
        artifacts.Add(await WriteArtifactAsync(view, ArtifactLayout.EtcdSnapshotPath, []));

        var byOther = await LocalAesKeyEncryptionKey.FromBytes("vault", RandomNumberGenerator.GetBytes(32)).WrapAsync(dataKey);
        var byKek = await kek.WrapAsync(dataKey);
        var manifest = new BackupManifest
        {
            FormatVersion = ArtifactFormat.Version, Tool = new ToolInfo("strata", "test"), BackupId = "20261130-010000-abcdef", Cluster = "prod", Policy = "nightly",
            ServerVersion = "v1.31.4", Scope = new BackupScope().ToSummary(), StartedAt = DateTimeOffset.UnixEpoch, CompletedAt = DateTimeOffset.UnixEpoch,
            Status = BackupStatus.Succeeded, Counts = new ObjectCounts(4, new Dictionary<string, long>(), new Dictionary<string, long>()),
            GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []), Artifacts = artifacts,
            Encryption = new EncryptionRecord
            {
                Scheme = EncryptionRecord.CurrentScheme, Mode = EncryptionMode.All, SecretValues = true, EncryptedArtifacts = view.EncryptedPaths,
                WrappedKeys = sidecar ? [byOther] : [byOther, byKek],
            },
        };
        if (sidecar)
        {
            await WriteAsync(store, _prefix + ArtifactLayout.WrappedKeyPath(DateTimeOffset.UnixEpoch, byKek.KeyId), JsonSerializer.SerializeToUtf8Bytes(byKek, StrataJson.Default.WrappedKey));
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, StrataJson.Default.BackupManifest);
        await WriteAsync(store, _prefix + ArtifactLayout.Manifest, bytes);
        Assert.Equal(["control-plane/node-1.tar", "databases/shop/pg/app.dump", "etcd/snapshot.db"], view.EncryptedPaths);
        return (manifest, bytes);
    }

    private static IEnumerable<(ApiResource Resource, string Json)> Objects()
    {
        var applied = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["stringData"] = new JsonObject { ["password"] = Password } }.ToJsonString();
        yield return (Namespaces, """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}""");
        yield return (ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop"},"data":{"mode":"strata:v1:not-a-secret"}}""");
        yield return (Secrets, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "db",
                ["uid"] = "0b8e3f1c-old-cluster",
                ["namespace"] = "shop",
                ["resourceVersion"] = "48213",
                ["creationTimestamp"] = "2026-11-29T08:00:00Z",
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["name"] = "api", ["uid"] = "9f-old" }),
                ["labels"] = new JsonObject { ["app"] = "shop" },
                ["annotations"] = new JsonObject { [SecretValues.LastAppliedAnnotation] = applied, ["note"] = "caf\u00e9" },
            },
            ["type"] = "Opaque",
            ["data"] = new JsonObject
            {
                ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)),
                ["binary"] = Convert.ToBase64String([0, 255, 128, 10, 34, 92]),
                ["empty"] = "",
            },
            ["stringData"] = new JsonObject { ["text"] = Password, ["blank"] = "" },
            ["status"] = new JsonObject { ["note"] = "secrets have none; a copy might" },
        }.ToJsonString());
        yield return (Secrets, """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"tls","namespace":"ingress-nginx"},"type":"kubernetes.io/tls","data":{"tls.crt":"Y2VydA==","tls.key":"a2V5"}}""");
    }

    // Documents as another writer might format them: whitespace around every token, an escaped member name, every
    // server-set member (one last in its object, metadata holding nothing else), a status that is not last.
    private static IEnumerable<(string Path, string Json)> RawDocuments()
    {
        yield return ("resources/core/v1/configmaps/namespaces/shop/pretty.json", """
            {
              "apiVersion" : "v1",
              "status" : { "phase" : "Active" },
              "kind" : "ConfigMap",
              "metadata" : {
                "name" : "pretty",
                "namespace" : "shop",
                "uid" : "u-1",
                "resourceVersion" : "7",
                "generation" : 3,
                "creationTimestamp" : null,
                "selfLink" : "/api/v1/namespaces/shop/configmaps/pretty",
                "managedFields" : [ { "manager" : "kubectl", "fieldsV1" : { "f:data" : { } } } ],
                "deletionTimestamp" : "2026-11-30T00:00:00Z",
                "deletionGracePeriodSeconds" : 30
              },
              "data" : { "status" : "kept: not top-level", "uid" : "kept" }
            }
            """);
        yield return ("resources/core/v1/configmaps/namespaces/shop/only-server-set.json",
            "{\"metadata\":{\"uid\":\"u\",\"resourceVersion\":\"1\"},\"st\\u0061tus\":{},\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}");
    }

    private async Task<ArtifactEntry> WriteArtifactAsync(IArtifactStore store, string path, byte[] content)
    {
        await WriteAsync(store, _prefix + path, content);
        return new ArtifactEntry(path, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    private static async Task WriteAsync(IArtifactStore store, string key, byte[] content)
    {
        await using var writer = await store.CreateAsync(key);
        await writer.Content.WriteAsync(content);
        await writer.CommitAsync();
    }

    private async Task<List<WrappedKey>> SidecarsAsync(IArtifactStore store)
    {
        var wrappings = new List<WrappedKey>();
        await foreach (var sidecar in store.ListAsync(_prefix + ArtifactLayout.KeysFolder))
        {
            await using var stream = await store.OpenReadAsync(sidecar.Key);
            wrappings.Add((await JsonSerializer.DeserializeAsync(stream, StrataJson.Default.WrappedKey))!);
        }

        return wrappings;
    }

    private static Task<Stream> CreateAsync(string root, string path)
    {
        var file = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return Task.FromResult<Stream>(new FileStream(file, FileMode.CreateNew, FileAccess.Write));
    }
}
