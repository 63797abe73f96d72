using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Adapters.Etcd;
using Strata.Adapters.Local;
using Strata.Adapters.Secrets;
using Strata.Core.Artifacts;
using Strata.Core.Etcd;
using Strata.TestKit;
using Strata.TestKit.Etcd;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>strata restore create --from-backup ID --etcd</c>: the snapshot downloaded and checked into a folder, beside a
/// script per control-plane member and a README; a damaged snapshot writes nothing; the script itself restores a real
/// etcd snapshot into a kubeadm-shaped layout and refuses to run until it is confirmed.
/// </summary>
public sealed class EtcdRestoreGuideCommandTests : IDisposable
{
    private const string BackupId = "20261121-023000-0000aa";

    private static readonly Dictionary<string, long> Objects = new() { ["pods"] = 3 };

    private readonly TempDirectory _dir = new();

    private string Store => Path.Combine(_dir.Path, "store");

    private string Guide => Path.Combine(_dir.Path, "guide");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RestoreCreateEtcd_WritesTheCheckedSnapshot_AndAScriptNamingEveryMemberWithItsPeerUrls()
    {
        var snapshot = BoltSnapshots.Build(fillerPages: 3);
        await BackUpAsync(snapshot);

        var (code, output, error) = await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);

        Assert.True(code == 0, error + output);
        Assert.Equal(snapshot, await File.ReadAllBytesAsync(Path.Combine(Guide, "snapshot.db")));
        var script = await File.ReadAllTextAsync(Path.Combine(Guide, "restore-etcd.sh"));
        Assert.StartsWith("#!/usr/bin/env bash\n", script, StringComparison.Ordinal);
        Assert.Contains("\nset -euo pipefail\n", script, StringComparison.Ordinal);
        Assert.Contains("\nCONFIRM=no ", script, StringComparison.Ordinal);
        Assert.Contains("\nINITIAL_CLUSTER='cp-1=https://10.0.0.11:2380,cp-2=https://10.0.0.12:2380,cp-3=https://10.0.0.13:2380,cp-3=https://192.168.0.13:2380'\n", script, StringComparison.Ordinal);
        Assert.Contains("\n    'cp-1') echo 'https://10.0.0.11:2380' ;;\n", script, StringComparison.Ordinal);
        Assert.Contains("\n    'cp-2') echo 'https://10.0.0.12:2380' ;;\n", script, StringComparison.Ordinal);
        Assert.Contains("\n    'cp-3') echo 'https://10.0.0.13:2380,https://192.168.0.13:2380' ;;\n", script, StringComparison.Ordinal);
        Assert.Contains("--initial-cluster-token \"$CLUSTER_TOKEN\"", script, StringComparison.Ordinal);
        Assert.Contains($"\nCLUSTER_TOKEN='strata-{BackupId}-", script, StringComparison.Ordinal);
        Assert.Contains($"\nSNAPSHOT_SHA256='{EtcdBackups.Sha256(snapshot)}'\n", script, StringComparison.Ordinal);
        Assert.Contains("ETCDCTL_API=3 etcdctl snapshot restore", script, StringComparison.Ordinal);
        Assert.Contains("/etc/kubernetes/manifests", script, StringComparison.Ordinal);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(Path.Combine(Guide, "restore-etcd.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal((0, ""), await BashAsync("-n", Path.Combine(Guide, "restore-etcd.sh"))); // it parses
        var readme = await File.ReadAllTextAsync(Path.Combine(Guide, "README.md"));
        Assert.Contains(EtcdBackups.Sha256(snapshot), readme, StringComparison.Ordinal);
        Assert.Contains("| taken from | member `cp-2` (91bc3c398fb3c146) at `https://10.0.0.12:2379` |", readme, StringComparison.Ordinal);
        Assert.Contains("| revision | 48213 |", readme, StringComparison.Ordinal);
        Assert.Contains("| raft term / index | 4 / 51877 |", readme, StringComparison.Ordinal);
        Assert.Contains(Guide, output, StringComparison.Ordinal);
        Assert.Contains("cp-3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreCreateEtcd_Json_SaysWhereItWroteWhat()
    {
        var snapshot = BoltSnapshots.Build();
        await BackUpAsync(snapshot);

        var (code, output, error) = await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store, "-o", "json");

        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(Path.Combine(Guide, "restore-etcd.sh"), json["script"]!.GetValue<string>());
        Assert.Equal(Path.Combine(Guide, "snapshot.db"), json["snapshot"]!.GetValue<string>());
        Assert.Equal(["cp-1", "cp-2", "cp-3"], json["members"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(48213, json["revision"]!.GetValue<long>());
    }

    [Fact]
    public async Task RestoreCreateEtcd_DamagedArtifact_ExitsOne_AndWritesNoScript()
    {
        var snapshot = BoltSnapshots.Build(fillerPages: 3);
        var prefix = await BackUpAsync(snapshot);
        var file = Path.Combine(Store, ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.EtcdSnapshotPath));
        await File.WriteAllBytesAsync(file, BoltSnapshots.Flipped(snapshot, 5 * BoltSnapshots.PageSize + 7));

        var (code, output, error) = await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);

        Assert.Equal(1, code);
        Assert.Contains("strata: the snapshot etcd/snapshot.db fails its integrity check: etcd's SHA-256 at the end of the snapshot", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Guide));
        Assert.Equal("", output);
    }

    [Fact]
    public async Task RestoreCreateEtcd_NoSuchBackup_OrNoSnapshot_ExitsTwo()
    {
        var snapshot = BoltSnapshots.Build();
        var manifest = EtcdBackups.Manifest(BackupId, snapshot, Objects) with { Etcd = new EtcdLayerRecord { NotApplicable = "managed control plane (AKS)" } };
        await EtcdBackups.StoreAsync(new LocalFolderArtifactStore(Store), manifest, snapshot);

        var missing = await RunAsync("restore", "create", "--from-backup", "20261121-023000-0000bb", "--etcd", "--to-dir", Guide, "--store", Store);
        var none = await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);
        var mixed = await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-context", "dr", "--store", Store);

        Assert.Equal(2, missing.Code);
        Assert.Contains("no backup '20261121-023000-0000bb'", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, none.Code);
        Assert.Contains($"strata: backup {BackupId} has no etcd snapshot: managed control plane (AKS)", none.Error, StringComparison.Ordinal);
        Assert.Equal(2, mixed.Code);
        Assert.Contains("--to-context does not go with --etcd", mixed.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Guide));
    }

    [Fact]
    public async Task RestoreCreateEtcd_WritesTheGuideForTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes only
        }

        await BackUpAsync(BoltSnapshots.Build());

        var (code, _, error) = await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);

        Assert.True(code == 0, error);
        const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Guide));
        Assert.Equal(ReadWrite, File.GetUnixFileMode(Path.Combine(Guide, "snapshot.db")));
        Assert.Equal(ReadWrite, File.GetUnixFileMode(Path.Combine(Guide, "README.md")));
        Assert.Equal(ReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(Guide, "restore-etcd.sh")));
    }

    [Fact]
    public async Task Script_Unconfirmed_RefusesToRun()
    {
        await BackUpAsync(BoltSnapshots.Build());
        await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);

        var (code, errors) = await BashAsync(Path.Combine(Guide, "restore-etcd.sh"), "restore", "cp-1");

        Assert.Equal(1, code);
        Assert.Contains("Refusing to run: read this script, check DATA_DIR and CLUSTER_TOKEN, then set CONFIRM=yes in it.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_Confirmed_RestoresARealSnapshot_AndPointsEtcdsManifestAtTheNewDirectory()
    {
        var connector = new GrpcEtcdConnector(new SecretResolver(Environment.GetEnvironmentVariable));
        var (client, peer) = (FreePort(), FreePort());
        byte[] snapshot;
        await using (var etcd = await EtcdServer.StartAsync())
        {
            await EtcdWriter.PutAsync(etcd.Endpoint, Enumerable.Range(0, 3).Select(i => KeyValuePair.Create($"/registry/pods/shop/web-{i}", Encoding.UTF8.GetBytes("{}"))));
            await using var endpoints = await connector.ConnectAsync(etcd.Access);
            var bytes = new MemoryStream();
            await foreach (var chunk in endpoints.Members[0].SnapshotAsync())
            {
                bytes.Write(chunk.Data.Span);
            }

            snapshot = bytes.ToArray();
        }

        await BackUpAsync(snapshot, [new EtcdMemberRecord("8e9e05c52164694d", "solo", [$"http://127.0.0.1:{peer}"], [$"http://127.0.0.1:{client}"], false)]);
        await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);
        var node = Path.Combine(_dir.Path, "node");
        var (manifests, parked, dataDir) = (Path.Combine(node, "manifests"), Path.Combine(node, "parked"), Path.Combine(node, "etcd-from-backup"));
        Directory.CreateDirectory(parked); // as 'stop' leaves it: both manifests moved out
        await File.WriteAllTextAsync(Path.Combine(parked, "etcd.yaml"), KubeadmEtcdManifest);
        await File.WriteAllTextAsync(Path.Combine(parked, "kube-apiserver.yaml"), "kind: Pod\n");
        Directory.CreateDirectory(manifests);
        var script = Path.Combine(Guide, "restore-etcd.sh");
        await File.WriteAllTextAsync(script, (await File.ReadAllTextAsync(script))
            .Replace("\nCONFIRM=no ", "\nCONFIRM=yes ", StringComparison.Ordinal)
            .Replace($"\nDATA_DIR='{EtcdRestoreGuide.DefaultDataDirectory}'", $"\nDATA_DIR='{dataDir}'", StringComparison.Ordinal)
            .Replace("\nRESTORE_TOOL=etcdutl ", EtcdTool.Etcdutl is null ? "\nRESTORE_TOOL=etcdctl " : "\nRESTORE_TOOL=etcdutl ", StringComparison.Ordinal)
            .Replace("\nMANIFESTS=/etc/kubernetes/manifests\n", $"\nMANIFESTS='{manifests}'\n", StringComparison.Ordinal)
            .Replace("\nPARKED=/etc/kubernetes/manifests-stopped-by-strata\n", $"\nPARKED='{parked}'\n", StringComparison.Ordinal));

        var (code, errors) = await BashAsync(script, "restore", "solo");

        Assert.True(code == 0, errors);
        var etcdYaml = await File.ReadAllTextAsync(Path.Combine(manifests, "etcd.yaml"));
        Assert.Equal(3, etcdYaml.Split('\n').Count(l => l.EndsWith(dataDir, StringComparison.Ordinal)));
        Assert.DoesNotContain("/var/lib/etcd\n", etcdYaml, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(manifests, "kube-apiserver.yaml")));
        Assert.Equal(KubeadmEtcdManifest, await File.ReadAllTextAsync(Path.Combine(parked, "etcd.yaml.before-restore")));
        Assert.Equal(3, await KeysOfRestoredMemberAsync(connector, dataDir, client, peer));
    }

    private const string KubeadmEtcdManifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: etcd
          namespace: kube-system
        spec:
          containers:
          - command:
            - etcd
            - --data-dir=/var/lib/etcd
            - --name=solo
            image: registry.k8s.io/etcd:3.5.12-0
            name: etcd
            volumeMounts:
            - mountPath: /var/lib/etcd
              name: etcd-data
            - mountPath: /etc/kubernetes/pki/etcd
              name: etcd-certs
          volumes:
          - hostPath:
              path: /etc/kubernetes/pki/etcd
              type: DirectoryOrCreate
            name: etcd-certs
          - hostPath:
              path: /var/lib/etcd
              type: DirectoryOrCreate
            name: etcd-data

        """;

    /// <summary>Starts etcd on the data directory the script restored, as its member, and counts its keys.</summary>
    private static async Task<long> KeysOfRestoredMemberAsync(GrpcEtcdConnector connector, string dataDir, int client, int peer)
    {
        var start = new ProcessStartInfo(EtcdTool.Etcd) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            "--name", "solo", "--data-dir", dataDir,
            "--listen-client-urls", $"http://127.0.0.1:{client}", "--advertise-client-urls", $"http://127.0.0.1:{client}",
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"solo=http://127.0.0.1:{peer}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            await using var endpoints = await connector.ConnectAsync(new EtcdAccess { Endpoints = [new Uri($"http://127.0.0.1:{client}")], DialTimeout = TimeSpan.FromSeconds(1) });
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await endpoints.Members[0].StatusAsync();
                    break;
                }
                catch (EtcdRequestException) when (attempt < 100)
                {
                    await Task.Delay(200);
                }
            }

            return await endpoints.Members[0].KeysAsync("/registry/").LongCountAsync();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private async Task<string> BackUpAsync(byte[] snapshot, IReadOnlyList<EtcdMemberRecord>? members = null) =>
        await EtcdBackups.StoreAsync(new LocalFolderArtifactStore(Store), EtcdBackups.Manifest(BackupId, snapshot, Objects, members), snapshot);

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, _ => null, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<(int Code, string Errors)> BashAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        return (process.ExitCode, await errors);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
