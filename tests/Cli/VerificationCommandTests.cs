using System.Text.Json.Nodes;
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
    public async Task Verify_UnknownBackup_ExitsTwo()
    {
        var (code, _, error) = await RunAsync("backup", "verify", "20990101-000000-000000", "--store", _world.Store);

        Assert.Equal(2, code);
        Assert.Contains("no backup \"20990101-000000-000000\"", error);
    }
}
