using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>strata backup create --policy</c> (the control plane's backup worker, then its verify worker, here) and
/// <c>strata backup verify</c> against the sandbox and the local store.
/// </summary>
public sealed class VerificationCommandTests : IAsyncLifetime
{
    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync() => _world = await ControlPlaneWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, _world.Variable, false, TimeProvider.System);
        var code = await StrataCli.RunAsync(args, environment);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private Task<(int Code, string Out, string Error)> CreateAsync(params string[] extra) =>
        RunAsync(["backup", "create", "--config", _world.ConfigPath, "--policy", "minutely", "--cluster", "prod", "--store", _world.Store, .. extra]);

    [Fact]
    public async Task CreatePolicy_RunsTheBackupWorkerThenVerifies_PrintsTheVerifiedRun()
    {
        var (code, output, error) = await CreateAsync("-o", "json");

        Assert.True(code == 0, error);
        var run = JsonNode.Parse(output)!;
        Assert.Equal(("Verified", "prod", "minutely"), (run["status"]!.GetValue<string>(), run["cluster"]!.GetValue<string>(), run["policy"]!.GetValue<string>()));
        var verification = run["verification"]!;
        Assert.Equal(run["objectCount"]!.GetValue<long>(), verification["counts"]!["total"]!.GetValue<long>());
        Assert.Equal(0, verification["errorCount"]!.GetValue<int>());
        Assert.Contains("verify-worker", error); // the same functions as the control plane, logged as they run
        Assert.Contains("strata backup create --policy", run["requestedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreatePolicy_Table_SaysVerified()
    {
        var (code, output, error) = await CreateAsync();

        Assert.True(code == 0, error);
        Assert.Contains("Verified: 1 artifact(s) read back from the store", output);
    }

    [Fact]
    public async Task CreatePolicy_WithKubeconfigOptions_IsMisuse()
    {
        var (code, _, error) = await CreateAsync("--context", "prod");

        Assert.Equal(2, code);
        Assert.Contains("--context cannot be used with --policy", error);
    }

    [Fact]
    public async Task CreatePolicy_UnknownCluster_RefusedWithoutRunning()
    {
        var (code, _, error) = await RunAsync("backup", "create", "--config", _world.ConfigPath, "--policy", "minutely", "--cluster", "staging", "--store", _world.Store);

        Assert.Equal(2, code);
        Assert.Contains("cluster 'staging' is not in", error);
        Assert.False(Directory.Exists(Path.Combine(_world.Store, "backups")));
    }

    [Fact]
    public async Task Verify_SoundBackup_ExitsZero_DamagedBackup_ExitsOneNamingTheArtifact()
    {
        var (_, created, _) = await CreateAsync("-o", "json");
        var id = JsonNode.Parse(created)!["id"]!.GetValue<string>();

        var (soundCode, sound, _) = await RunAsync("backup", "verify", id, "--store", _world.Store);
        var archive = Directory.GetFiles(Path.Combine(_world.Store, "backups"), "resources.tar.gz", SearchOption.AllDirectories).Single();
        File.SetAttributes(archive, FileAttributes.Normal);
        var bytes = await File.ReadAllBytesAsync(archive);
        bytes[bytes.Length / 3] ^= 0x40;
        await File.WriteAllBytesAsync(archive, bytes);
        var (damagedCode, damaged, _) = await RunAsync("backup", "verify", id, "--store", _world.Store, "-o", "json");
        var (listCode, list, _) = await RunAsync("backup", "list", "--store", _world.Store);

        Assert.Equal(0, soundCode);
        Assert.Contains("Verified", sound);
        Assert.Equal(1, damagedCode);
        var report = JsonNode.Parse(damaged)!;
        Assert.Equal("VerificationFailed", report["status"]!.GetValue<string>());
        var sha = report["verification"]!["findings"]!.AsArray().Single(f => f!["check"]!.GetValue<string>() == "sha256")!;
        Assert.Equal("resources.tar.gz", sha["artifact"]!.GetValue<string>());
        Assert.NotEqual(sha["expected"]!.GetValue<string>(), sha["found"]!.GetValue<string>());
        Assert.Equal(0, listCode);
        Assert.Contains("VerificationFailed", list);
    }

    [Fact]
    public async Task Verify_TruncatedArchive_ExitsOneNamingTheTruncation()
    {
        var id = await CreateIdAsync();
        var archive = StoredFile("resources.tar.gz");
        var whole = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(archive, whole.AsSpan(0, whole.Length - 100).ToArray());

        var (code, output, error) = await RunAsync("backup", "verify", id, "--store", _world.Store, "-o", "json");

        Assert.True(code == 1, error);
        var findings = Findings(output);
        var size = Assert.Single(findings, f => f!["check"]!.GetValue<string>() == "size")!;
        Assert.Equal(("resources.tar.gz", "the stored artifact is shorter than recorded (truncated)"), (size["artifact"]!.GetValue<string>(), size["message"]!.GetValue<string>()));
        Assert.Equal(($"{whole.Length:N0} bytes", $"{whole.Length - 100:N0} bytes"), (size["expected"]!.GetValue<string>(), size["found"]!.GetValue<string>()));
        Assert.Contains(findings, f => f!["check"]!.GetValue<string>() == "archive"); // the gzip stream ends early
    }

    [Fact]
    public async Task Verify_EntryMissingFromARepackedArchive_ExitsOneOnTheCountsOnly()
    {
        // A capture bug that drops an object but records the count it meant to write: the archive is whole and its size
        // and hash are the manifest's, so only the counts can tell.
        var id = await CreateIdAsync();
        var entries = await ReadArchiveAsync();
        var dropped = entries.Keys.First(p => ResourceEntryPath.TryParse(p, out var parsed, out _) && parsed!.Namespace is not null);
        ResourceEntryPath.TryParse(dropped, out var path, out _);
        var resourceCount = entries.Keys.Count(p => ResourceEntryPath.TryParse(p, out var other, out _) && other!.QualifiedResource == path!.QualifiedResource);
        var namespaceCount = entries.Keys.Count(p => ResourceEntryPath.TryParse(p, out var other, out _) && other!.Namespace == path!.Namespace);
        entries.Remove(dropped);
        var repacked = Pack(entries);
        await File.WriteAllBytesAsync(StoredFile("resources.tar.gz"), repacked);
        var rehashed = new ArtifactEntry(ArtifactLayout.ResourcesArchive, repacked.Length, Convert.ToHexStringLower(SHA256.HashData(repacked)));
        await RewriteManifestAsync(m => m with { Artifacts = [.. m.Artifacts.Select(a => a.Path == ArtifactLayout.ResourcesArchive ? rehashed : a)] });

        var (code, output, error) = await RunAsync("backup", "verify", id, "--store", _world.Store, "-o", "json");

        Assert.True(code == 1, error);
        var findings = Findings(output).Select(f => (
            f!["check"]!.GetValue<string>(), f["message"]!.GetValue<string>(), f["expected"]?.GetValue<string>(), f["found"]?.GetValue<string>())).ToList();
        Assert.Equal(
            [
                ("counts", "objects in total", entries.Count + 1 + "", entries.Count + ""),
                ("counts", $"objects of namespace {path!.Namespace}", namespaceCount + "", namespaceCount - 1 + ""),
                ("counts", $"objects of resource {path.QualifiedResource}", resourceCount + "", resourceCount - 1 + ""),
            ],
            findings.Order());
    }

    [Fact]
    public async Task Verify_ManifestMiscounted_ExitsOneNamingEachCount()
    {
        var id = await CreateIdAsync();
        var recorded = (await ReadManifestAsync()).Counts;
        var resource = recorded.ByResource.Keys.First();
        await RewriteManifestAsync(m => m with
        {
            Counts = m.Counts with
            {
                Total = m.Counts.Total + 1,
                ByResource = new Dictionary<string, long>(m.Counts.ByResource) { [resource] = m.Counts.ByResource[resource] + 1 },
            },
        });

        var (code, output, error) = await RunAsync("backup", "verify", id, "--store", _world.Store, "-o", "json");
        var (tableCode, table, _) = await RunAsync("backup", "verify", id, "--store", _world.Store);

        Assert.True(code == 1, error);
        var findings = Findings(output);
        Assert.All(findings, f => Assert.Equal(("counts", "manifest.json"), (f!["check"]!.GetValue<string>(), f["artifact"]!.GetValue<string>())));
        Assert.Equal(
            [
                ("objects in total", recorded.Total + 1 + "", recorded.Total + ""),
                ($"objects of resource {resource}", recorded.ByResource[resource] + 1 + "", recorded.ByResource[resource] + ""),
            ],
            findings.Select(f => (f!["message"]!.GetValue<string>(), f["expected"]!.GetValue<string>(), f["found"]!.GetValue<string>())).Order());
        Assert.Equal(1, tableCode);
        Assert.Contains($"objects of resource {resource}", table);
    }

    [Fact]
    public async Task Verify_UnknownBackup_ExitsTwo()
    {
        var (code, _, error) = await RunAsync("backup", "verify", "20990101-000000-000000", "--store", _world.Store);

        Assert.Equal(2, code);
        Assert.Contains("no backup \"20990101-000000-000000\"", error);
    }

    private async Task<string> CreateIdAsync()
    {
        var (code, created, error) = await CreateAsync("-o", "json");
        Assert.True(code == 0, error);
        return JsonNode.Parse(created)!["id"]!.GetValue<string>();
    }

    private static JsonArray Findings(string output) => JsonNode.Parse(output)!["verification"]!["findings"]!.AsArray();

    /// <summary>The one stored file named <paramref name="name"/>, made writable (the local store writes artifacts read-only).</summary>
    private string StoredFile(string name)
    {
        var path = Directory.GetFiles(Path.Combine(_world.Store, "backups"), name, SearchOption.AllDirectories).Single();
        File.SetAttributes(path, FileAttributes.Normal);
        return path;
    }

    private async Task<BackupManifest> ReadManifestAsync()
    {
        var path = StoredFile(ArtifactLayout.Manifest);
        return ManifestFile.Read(await File.ReadAllBytesAsync(path), path);
    }

    private async Task RewriteManifestAsync(Func<BackupManifest, BackupManifest> change) =>
        await File.WriteAllBytesAsync(StoredFile(ArtifactLayout.Manifest), ManifestFile.Serialize(change(await ReadManifestAsync())));

    private async Task<SortedDictionary<string, byte[]>> ReadArchiveAsync()
    {
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        await using var gzip = new GZipStream(File.OpenRead(StoredFile("resources.tar.gz")), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            using var content = new MemoryStream();
            await entry.DataStream!.CopyToAsync(content);
            entries[entry.Name] = content.ToArray();
        }

        return entries;
    }

    private static byte[] Pack(SortedDictionary<string, byte[]> entries)
    {
        using var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        return archive.ToArray();
    }
}
