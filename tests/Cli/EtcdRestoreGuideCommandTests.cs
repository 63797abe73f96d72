using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Adapters.Encryption;
using Strata.Adapters.Etcd;
using Strata.Adapters.Hosting;
using Strata.Adapters.Local;
using Strata.Adapters.Secrets;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;
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
        Assert.Equal((0, "", ""), await BashAsync(null, "-n", Path.Combine(Guide, "restore-etcd.sh"))); // it parses
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
    public async Task RestoreCreateEtcd_EncryptedSnapshot_WritesItDecryptedAndSaysSo()
    {
        // Under encrypt: secrets (the default) the snapshot is stored encrypted: etcdutl reads only plaintext, so the guide writes it decrypted (0600).
        var snapshot = BoltSnapshots.Build(fillerPages: 3);
        var kekBytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var kek = LocalAesKeyEncryptionKey.FromBytes("local", kekBytes);
        using var dataKey = DataKey.Create();
        var store = new LocalFolderArtifactStore(Store);
        var manifest = EtcdBackups.Manifest(BackupId, snapshot, Objects);
        var prefix = ArtifactLayout.BackupPrefix(manifest.Cluster, manifest.Policy, manifest.BackupId);
        var view = new BackupCipherStore(store, prefix, dataKey, EncryptionPaths.For(EncryptionMode.Secrets));
        await using (var writer = await view.CreateAsync(ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.EtcdSnapshotPath)))
        {
            await writer.Content.WriteAsync(snapshot);
            await writer.CommitAsync();
        }

        manifest = manifest with
        {
            Encryption = new EncryptionRecord
            {
                Scheme = EncryptionRecord.CurrentScheme, Mode = EncryptionMode.Secrets, SecretValues = false, EncryptedArtifacts = view.EncryptedPaths,
                WrappedKeys = [await kek.WrapAsync(dataKey)],
            },
        };
        await ManifestFile.WriteAsync(store, prefix, manifest);
        Assert.Equal([ArtifactLayout.EtcdSnapshotPath], view.EncryptedPaths);
        Assert.NotEqual(snapshot, await File.ReadAllBytesAsync(Path.Combine(Store, prefix, ArtifactLayout.EtcdSnapshotPath)));

        var (code, output, error) = await RunAsync(
            name => name == "GUIDE_KEK" ? Convert.ToBase64String(kekBytes) : null,
            "restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store, "--key", "env:GUIDE_KEK");

        Assert.True(code == 0, error + output);
        Assert.Equal(snapshot, await File.ReadAllBytesAsync(Path.Combine(Guide, "snapshot.db")));
        Assert.Contains("decrypting it", error);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Guide, "snapshot.db")));
        }
    }

    [Fact]
    public async Task RestoreCreateEtcd_FolderOpenToOthers_RefusedNamingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes only
        }

        await BackUpAsync(BoltSnapshots.Build());
        Directory.CreateDirectory(Guide);
        File.SetUnixFileMode(Guide, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var (code, _, error) = await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);

        Assert.Equal(2, code);
        Assert.Contains($"{Guide} exists with mode 0705", error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Guide));
    }

    [Fact]
    public async Task Script_Unconfirmed_RefusesToRun()
    {
        await BackUpAsync(BoltSnapshots.Build());
        await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);

        var (code, _, errors) = await BashAsync(null, Path.Combine(Guide, "restore-etcd.sh"), "restore", "cp-1");

        Assert.Equal(1, code);
        Assert.Contains("Refusing to run: read this script, check DATA_DIR and CLUSTER_TOKEN, then set CONFIRM=yes in it.", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("restore")]
    public async Task Script_RestoreToolNotOnPath_RefusesBeforeTouchingAnything(string pass)
    {
        var node = await NodeAsync(stopped: pass == "restore");
        var script = await ScriptAsync(node, tool: "strata-test-no-such-etcdutl");

        var (code, _, errors) = await BashAsync(node.Bin, script, pass, "solo");

        Assert.Equal(1, code);
        Assert.Contains("strata-test-no-such-etcdutl is not on PATH on this node. Nothing was changed.", errors, StringComparison.Ordinal);
        Assert.Contains("README.md says how to get one", errors, StringComparison.Ordinal);
        await node.AssertUntouchedAsync(stopped: pass == "restore");
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("restore")]
    public async Task Script_SnapshotChangedSinceBackup_RefusesBeforeTouchingAnything(string pass)
    {
        var node = await NodeAsync(stopped: pass == "restore");
        var script = await ScriptAsync(node);
        var file = Path.Combine(Guide, "snapshot.db");
        await File.WriteAllBytesAsync(file, BoltSnapshots.Flipped(await File.ReadAllBytesAsync(file), 100));

        var (code, _, errors) = await BashAsync(node.Bin, script, pass, "solo");

        Assert.Equal(1, code);
        Assert.Contains("does not match the SHA-256 recorded at backup time: do not restore it. Nothing was changed", errors, StringComparison.Ordinal);
        await node.AssertUntouchedAsync(stopped: pass == "restore");
    }

    [Fact]
    public async Task Script_Stop_ParksTheApiServerEtcdControllerManagerAndScheduler()
    {
        var node = await NodeAsync(stopped: false);
        var script = await ScriptAsync(node);

        var (code, output, errors) = await BashAsync(node.Bin, script, "stop");

        Assert.True(code == 0, errors);
        Assert.Empty(Directory.EnumerateFiles(node.Manifests));
        Assert.Equal(StaticPods.Order(), Directory.EnumerateFiles(node.Parked).Select(Path.GetFileName).Order());
        Assert.Contains("stopped. Run", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_Confirmed_RestoresARealSnapshot_AndPointsOnlyTheEtcdDataHostPathAtTheNewDirectory()
    {
        var connector = new GrpcEtcdConnector(new SecretResolver(Environment.GetEnvironmentVariable));
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

        for (var attempt = 1; ; attempt++)
        {
            // The peer port goes into the restored membership, so it is picked right before the restore (the client
            // port right before etcd starts); a port free then may still be taken by the time etcd binds it, and then
            // the restore and the start are done again on new ports.
            var peer = LoopbackPorts.Free();
            var node = await NodeAsync(stopped: true, snapshot, [new EtcdMemberRecord("8e9e05c52164694d", "solo", [$"http://127.0.0.1:{peer}"], ["http://127.0.0.1:2379"], false)]);
            var script = await ScriptAsync(node);

            var (code, output, errors) = await BashAsync(node.Bin, script, "restore", "solo");

            Assert.True(code == 0, errors);
            var etcdYaml = await File.ReadAllTextAsync(Path.Combine(node.Manifests, "etcd.yaml"));
            Assert.Equal(KubeadmEtcdManifest.Replace("      path: /var/lib/etcd\n", $"      path: {node.DataDir}\n", StringComparison.Ordinal), etcdYaml);
            Assert.Contains("    - --data-dir=/var/lib/etcd\n", etcdYaml, StringComparison.Ordinal); // the container's side stays
            Assert.Contains("    - mountPath: /var/lib/etcd\n", etcdYaml, StringComparison.Ordinal);
            Assert.Equal(StaticPods.Order(), Directory.EnumerateFiles(node.Manifests).Select(Path.GetFileName).Order());
            Assert.Equal(KubeadmEtcdManifest, await File.ReadAllTextAsync(Path.Combine(node.Parked, "etcd.yaml.before-restore")));
            Assert.Contains("restart the kubelet on EVERY node", output, StringComparison.Ordinal);
            var (keys, etcdErrors) = await KeysOfRestoredMemberAsync(connector, node.DataDir, peer);
            if (keys is null && attempt < 3 && etcdErrors.Contains("address already in use", StringComparison.Ordinal))
            {
                StartOver();
                continue;
            }

            Assert.True(keys is not null, "the restored etcd exited before it answered: " + etcdErrors);
            Assert.Equal(3, keys);
            return;
        }
    }

    [Fact]
    public async Task Script_Restore_EtcdDataHostPathNotFound_RefusesAndLeavesTheManifestAsItWas()
    {
        // The hostPath in flow style: the old script's sed changed --data-dir and the mountPath but not this line, so
        // etcd started on an empty directory.
        var manifest = KubeadmEtcdManifest.Replace(
            "  - hostPath:\n      path: /var/lib/etcd\n      type: DirectoryOrCreate\n    name: etcd-data\n",
            "  - name: etcd-data\n    hostPath: {path: /var/lib/etcd, type: DirectoryOrCreate}\n",
            StringComparison.Ordinal);
        Assert.NotEqual(KubeadmEtcdManifest, manifest);
        var node = await NodeAsync(stopped: true, etcdManifest: manifest);
        var script = await ScriptAsync(node);

        var (code, _, errors) = await BashAsync(node.Bin, script, "restore", "solo");

        Assert.Equal(1, code);
        Assert.Contains("has no hostPath volume named etcd-data (as kubeadm writes it)", errors, StringComparison.Ordinal);
        Assert.Equal(manifest, await File.ReadAllTextAsync(Path.Combine(node.Parked, "etcd.yaml")));
        await node.AssertUntouchedAsync(stopped: true, manifest);
    }

    [Fact]
    public async Task Script_Restore_EditChangesNoLine_PutsTheSavedManifestBack_AndRestoresNothing()
    {
        var node = await NodeAsync(stopped: true);
        var manifest = KubeadmEtcdManifest.Replace("      path: /var/lib/etcd\n", $"      path: {node.DataDir}\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(node.Parked, "etcd.yaml"), manifest);
        var script = await ScriptAsync(node);

        var (code, _, errors) = await BashAsync(node.Bin, script, "restore", "solo");

        Assert.Equal(1, code);
        Assert.Contains($"could not point the etcd-data volume of etcd.yaml at {node.DataDir} (it names {node.DataDir}; 0 lines changed, not 1)", errors, StringComparison.Ordinal);
        await node.AssertUntouchedAsync(stopped: true, manifest);
    }

    [Fact]
    public async Task Script_Restore_ProbePathAfterTheEtcdDataVolumeMount_ChangesOnlyTheHostPathLine()
    {
        // Hand-ordered: the etcd-data volumeMount comes last, then the liveness probe's 'httpGet: path:', then the
        // volumes. The old search took the last 'path:' before the item named etcd-data closed: the probe's.
        var manifest = KubeadmEtcdManifest
            .Replace(LivenessProbe, "", StringComparison.Ordinal)
            .Replace(
                "    - mountPath: /var/lib/etcd\n      name: etcd-data\n    - mountPath: /etc/kubernetes/pki/etcd\n      name: etcd-certs\n",
                "    - mountPath: /etc/kubernetes/pki/etcd\n      name: etcd-certs\n    - mountPath: /var/lib/etcd\n      name: etcd-data\n" + LivenessProbe,
                StringComparison.Ordinal);
        Assert.NotEqual(KubeadmEtcdManifest, manifest);
        var node = await NodeAsync(stopped: true, etcdManifest: manifest);
        var script = await ScriptAsync(node, tool: "fake-etcdutl", bump: null);

        var (code, output, errors) = await BashAsync(node.Bin, script, "restore", "solo");

        Assert.True(code == 0, errors);
        var etcdYaml = await File.ReadAllTextAsync(Path.Combine(node.Manifests, "etcd.yaml"));
        Assert.Equal(manifest.Replace("      path: /var/lib/etcd\n", $"      path: {node.DataDir}\n", StringComparison.Ordinal), etcdYaml);
        Assert.Contains("        path: /health?exclude=NOSPACE&serializable=true\n", etcdYaml, StringComparison.Ordinal);
        Assert.Equal(manifest, await File.ReadAllTextAsync(Path.Combine(node.Parked, "etcd.yaml.before-restore")));
        Assert.Contains($"hostPath is now {node.DataDir} (was /var/lib/etcd;", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_RestoreRunTwice_KeepsTheFirstSavedManifest()
    {
        var node = await NodeAsync(stopped: true);
        var first = await BashAsync(node.Bin, await ScriptAsync(node, tool: "fake-etcdutl", bump: null), "restore", "solo");
        Assert.True(first.Code == 0, first.Errors);
        var again = node with { DataDir = node.DataDir + "-again" };
        var script = Path.Combine(Guide, "restore-etcd.sh");
        await File.WriteAllTextAsync(script, (await File.ReadAllTextAsync(script)).Replace($"\nDATA_DIR='{node.DataDir}'", $"\nDATA_DIR='{again.DataDir}'", StringComparison.Ordinal));
        var stop = await BashAsync(again.Bin, script, "stop");
        Assert.True(stop.Code == 0, stop.Errors);

        var (code, output, errors) = await BashAsync(again.Bin, script, "restore", "solo");

        Assert.True(code == 0, errors);
        Assert.Contains($"keeping {node.Parked}/etcd.yaml.before-restore from an earlier run", output, StringComparison.Ordinal);
        Assert.Equal(KubeadmEtcdManifest, await File.ReadAllTextAsync(Path.Combine(node.Parked, "etcd.yaml.before-restore")));
        Assert.Equal(
            KubeadmEtcdManifest.Replace("      path: /var/lib/etcd\n", $"      path: {again.DataDir}\n", StringComparison.Ordinal),
            await File.ReadAllTextAsync(Path.Combine(node.Manifests, "etcd.yaml")));
    }

    [Fact]
    public async Task Script_Restore_ToolWithBumpRevision_BumpsByABillionAndMarksCompacted()
    {
        var node = await NodeAsync(stopped: true);
        var script = await ScriptAsync(node, tool: "fake-etcdutl", bump: null);

        var (code, output, errors) = await BashAsync(node.Bin, script, "restore", "solo");

        Assert.True(code == 0, errors);
        var arguments = await File.ReadAllLinesAsync(Path.Combine(node.Bin, "restore-arguments"));
        Assert.Equal(["snapshot", "restore", Path.Combine(Guide, "snapshot.db")], arguments[..3]);
        Assert.Equal(["--data-dir", node.DataDir, "--bump-revision", "1000000000", "--mark-compacted"], arguments[^5..]);
        Assert.Equal(StaticPods.Order(), Directory.EnumerateFiles(node.Manifests).Select(Path.GetFileName).Order());
        Assert.Contains("moved kube-controller-manager.yaml back", output, StringComparison.Ordinal);
        Assert.Contains("moved kube-scheduler.yaml back", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("restore")]
    public async Task Script_ToolWithoutBumpRevision_RefusesUnlessBumpIsOff(string pass)
    {
        var node = await NodeAsync(stopped: pass == "restore");
        var script = await ScriptAsync(node, tool: "old-etcdutl", bump: null);

        var (code, _, errors) = await BashAsync(node.Bin, script, pass, "solo");

        Assert.Equal(1, code);
        Assert.Contains("old-etcdutl has no --bump-revision (etcdutl and etcdctl 3.5.10 and later have it, etcdctl 3.4.27 and later). Nothing was changed.", errors, StringComparison.Ordinal);
        Assert.Contains("set BUMP_REVISION=0 in this script on EVERY node", errors, StringComparison.Ordinal);
        await node.AssertUntouchedAsync(stopped: pass == "restore");
    }

    [Fact]
    public async Task Script_ToolThatCannotRestore_Refuses()
    {
        var node = await NodeAsync(stopped: false);
        var script = await ScriptAsync(node, tool: "etcdctl-3.6");

        var (code, _, errors) = await BashAsync(node.Bin, script, "stop");

        Assert.Equal(1, code);
        Assert.Contains("'etcdctl-3.6 snapshot restore' does not exist (etcdctl 3.6 and later cannot restore: use etcdutl). Nothing was changed.", errors, StringComparison.Ordinal);
        await node.AssertUntouchedAsync(stopped: false);
    }

    /// <summary>The control plane's static pods on a kubeadm node.</summary>
    private static readonly string[] StaticPods = ["etcd.yaml", "kube-apiserver.yaml", "kube-controller-manager.yaml", "kube-scheduler.yaml"];

    /// <summary>
    /// A control-plane node in a folder: its manifests (moved out, as 'stop' leaves them, when <paramref name="stopped"/>),
    /// where the data would go, and a bin folder first on the script's PATH with the real etcdctl, a pgrep that finds no
    /// process, and stand-ins for etcdutl (one with --bump-revision, one without, one that cannot restore at all). The
    /// guide is written for <paramref name="snapshot"/> (a built one by default) and <paramref name="members"/>.
    /// </summary>
    private async Task<GuideNode> NodeAsync(bool stopped, byte[]? snapshot = null, IReadOnlyList<EtcdMemberRecord>? members = null, string? etcdManifest = null)
    {
        await BackUpAsync(snapshot ?? BoltSnapshots.Build(fillerPages: 2), members ?? [new EtcdMemberRecord("8e9e05c52164694d", "solo", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379"], false)]);
        var (code, _, error) = await RunAsync("restore", "create", "--from-backup", BackupId, "--etcd", "--to-dir", Guide, "--store", Store);
        Assert.True(code == 0, error);
        var root = Path.Combine(_dir.Path, "node");
        var node = new GuideNode(Path.Combine(root, "manifests"), Path.Combine(root, "parked"), Path.Combine(root, "etcd-from-backup"), Path.Combine(root, "bin"));
        Directory.CreateDirectory(node.Manifests);
        Directory.CreateDirectory(node.Bin);
        var holder = stopped ? node.Parked : node.Manifests;
        Directory.CreateDirectory(holder);
        foreach (var pod in StaticPods)
        {
            await File.WriteAllTextAsync(Path.Combine(holder, pod), pod == "etcd.yaml" ? etcdManifest ?? KubeadmEtcdManifest : $"kind: Pod # {pod}\n");
        }

        await StubAsync(node.Bin, "pgrep", "exit 1 # no process: the kubelet stopped them");
        await StubAsync(node.Bin, "fake-etcdutl", FakeEtcdutl("--initial-cluster-token --bump-revision uint --mark-compacted"));
        await StubAsync(node.Bin, "old-etcdutl", FakeEtcdutl("--initial-cluster-token --skip-hash-check"));
        await StubAsync(node.Bin, "etcdctl-3.6", FakeEtcdutl("Available Commands: save  Stores an etcd node backend snapshot to a given file"));
        File.CreateSymbolicLink(Path.Combine(node.Bin, "etcdctl"), EtcdTool.Etcdctl);
        return node;
    }

    /// <summary>A stand-in for etcdutl whose help says <paramref name="help"/>; a restore writes its arguments beside it, one a line, and makes the data directory.</summary>
    private static string FakeEtcdutl(string help) => $$"""
        if [ "${3:-}" = --help ]; then echo '{{help}}'; exit 0; fi
        printf '%s\n' "$@" >"$(dirname "$0")/restore-arguments"
        while [ $# -gt 0 ]; do
          if [ "$1" = --data-dir ]; then mkdir -p "$2/member/snap"; fi
          shift
        done
        """;

    /// <summary>What a stub is run with to be executed once, doing nothing (<see cref="StubAsync"/>).</summary>
    private const string StubProbe = "--strata-stub-probe";

    /// <summary>
    /// Writes an executable bash script <paramref name="name"/> into <paramref name="bin"/>, and executes it once before
    /// returning. A process that another test forks while the file is open for writing holds that write until it execs,
    /// and meanwhile the kernel refuses to execute the file (ETXTBSY, "Text file busy"). The write is closed when
    /// WriteAllTextAsync returns, so no later fork can hold it; once one exec has succeeded no earlier one does either.
    /// So the stub is executed here, again while it is busy, and the scripts that run it later never meet ETXTBSY.
    /// </summary>
    private static async Task StubAsync(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        var text = $"#!/usr/bin/env bash\nif [ \"${{1:-}}\" = {StubProbe} ]; then exit 0; fi\n" + body.ReplaceLineEndings("\n") + "\n";
        await File.WriteAllTextAsync(path, text);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add(StubProbe);
                using var probe = Process.Start(start)!;
                await probe.WaitForExitAsync();
                Assert.True(probe.ExitCode == 0, $"{path} {StubProbe} exited {probe.ExitCode}: {await probe.StandardError.ReadToEndAsync()}");
                return;
            }
            catch (Win32Exception busy) when (attempt < 100 && (busy.NativeErrorCode == 26 || busy.Message.Contains("Text file busy", StringComparison.Ordinal)))
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>
    /// The guide's script, confirmed and pointed at <paramref name="node"/>. The restore tool is <paramref name="tool"/>, else
    /// the real one (etcdutl if installed, else etcdctl 3.4, which has no --bump-revision: BUMP_REVISION=0 then); the
    /// revision bump stays as generated when <paramref name="bump"/> is null, unless the real etcdctl is used.
    /// </summary>
    private async Task<string> ScriptAsync(GuideNode node, string? tool = null, long? bump = 0)
    {
        var script = Path.Combine(Guide, "restore-etcd.sh");
        var real = EtcdTool.Etcdutl is null ? "etcdctl" : "etcdutl";
        var text = (await File.ReadAllTextAsync(script))
            .Replace("\nCONFIRM=no ", "\nCONFIRM=yes ", StringComparison.Ordinal)
            .Replace($"\nDATA_DIR='{EtcdRestoreGuide.DefaultDataDirectory}'", $"\nDATA_DIR='{node.DataDir}'", StringComparison.Ordinal)
            .Replace("\nRESTORE_TOOL=etcdutl ", $"\nRESTORE_TOOL={tool ?? real} ", StringComparison.Ordinal)
            .Replace("\nMANIFESTS=/etc/kubernetes/manifests\n", $"\nMANIFESTS='{node.Manifests}'\n", StringComparison.Ordinal)
            .Replace("\nPARKED=/etc/kubernetes/manifests-stopped-by-strata\n", $"\nPARKED='{node.Parked}'\n", StringComparison.Ordinal);
        if (tool is null && real == "etcdutl")
        {
            bump = null; // etcdutl has it from 3.5.10 on
        }

        if (bump is { } value)
        {
            text = text.Replace($"\nBUMP_REVISION={EtcdRestoreGuide.BumpRevision} ", $"\nBUMP_REVISION={value} ", StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(script, text);
        return script;
    }

    /// <summary>The folders of a control-plane node as the script sees them.</summary>
    private sealed record GuideNode(string Manifests, string Parked, string DataDir, string Bin)
    {
        /// <summary>Asserts the script changed nothing: the manifests where they were, etcd.yaml as written, no data directory.</summary>
        public async Task AssertUntouchedAsync(bool stopped, string etcdManifest = KubeadmEtcdManifest)
        {
            var holder = stopped ? Parked : Manifests;
            Assert.Equal(StaticPods.Order(), Directory.EnumerateFiles(holder).Select(Path.GetFileName).Where(f => !f!.EndsWith(".before-restore", StringComparison.Ordinal)).Order());
            Assert.Equal(etcdManifest, await File.ReadAllTextAsync(Path.Combine(holder, "etcd.yaml")));
            Assert.False(Directory.Exists(stopped ? Manifests : Parked) && Directory.EnumerateFileSystemEntries(stopped ? Manifests : Parked).Any());
            Assert.False(Directory.Exists(DataDir));
        }
    }

    /// <summary>The liveness probe of <see cref="KubeadmEtcdManifest"/>, with its 'httpGet: path:'.</summary>
    private const string LivenessProbe = """
            livenessProbe:
              failureThreshold: 8
              httpGet:
                host: 127.0.0.1
                path: /health?exclude=NOSPACE&serializable=true
                port: 2381
                scheme: HTTP

        """;

    private const string KubeadmEtcdManifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          annotations:
            kubeadm.kubernetes.io/etcd.advertise-client-urls: https://10.0.0.11:2379
          creationTimestamp: null
          labels:
            component: etcd
            tier: control-plane
          name: etcd
          namespace: kube-system
        spec:
          containers:
          - command:
            - etcd
            - --advertise-client-urls=https://10.0.0.11:2379
            - --data-dir=/var/lib/etcd
            - --initial-advertise-peer-urls=https://10.0.0.11:2380
            - --initial-cluster=solo=https://10.0.0.11:2380
            - --name=solo
            image: registry.k8s.io/etcd:3.5.12-0
            imagePullPolicy: IfNotPresent
            livenessProbe:
              failureThreshold: 8
              httpGet:
                host: 127.0.0.1
                path: /health?exclude=NOSPACE&serializable=true
                port: 2381
                scheme: HTTP
            name: etcd
            startupProbe:
              httpGet:
                host: 127.0.0.1
                path: /health?serializable=false
                port: 2381
                scheme: HTTP
            volumeMounts:
            - mountPath: /var/lib/etcd
              name: etcd-data
            - mountPath: /etc/kubernetes/pki/etcd
              name: etcd-certs
          hostNetwork: true
          priorityClassName: system-node-critical
          volumes:
          - hostPath:
              path: /etc/kubernetes/pki/etcd
              type: DirectoryOrCreate
            name: etcd-certs
          - hostPath:
              path: /var/lib/etcd
              type: DirectoryOrCreate
            name: etcd-data
        status: {}

        """;

    /// <summary>
    /// Starts etcd on the data directory the script restored, as its member (peer URL on <paramref name="peer"/>, the
    /// client URL on a port picked right before), and counts its keys; null and etcd's log when it exits first.
    /// </summary>
    private static async Task<(long? Keys, string Errors)> KeysOfRestoredMemberAsync(GrpcEtcdConnector connector, string dataDir, int peer)
    {
        var client = LoopbackPorts.Free();
        while (client == peer)
        {
            client = LoopbackPorts.Free();
        }

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
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            await using var endpoints = await connector.ConnectAsync(new EtcdAccess { Endpoints = [new Uri($"http://127.0.0.1:{client}")], DialTimeout = TimeSpan.FromSeconds(1) });
            for (var attempt = 0; ; attempt++)
            {
                if (process.HasExited)
                {
                    return (null, $"exit code {process.ExitCode}: {await errors}");
                }

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

            return (await endpoints.Members[0].KeysAsync("/registry/").LongCountAsync(), "");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    /// <summary>Removes the store, the guide and the node, for a test that does its restore again.</summary>
    private void StartOver()
    {
        foreach (var folder in new[] { Store, Guide, Path.Combine(_dir.Path, "node") })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private async Task<string> BackUpAsync(byte[] snapshot, IReadOnlyList<EtcdMemberRecord>? members = null) =>
        await EtcdBackups.StoreAsync(new LocalFolderArtifactStore(Store), EtcdBackups.Manifest(BackupId, snapshot, Objects, members), snapshot);

    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => RunAsync(_ => null, args);

    private static async Task<(int Code, string Out, string Error)> RunAsync(Func<string, string?> variables, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, variables, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs bash with <paramref name="arguments"/>, <paramref name="bin"/> (when given) first on its PATH.</summary>
    private static async Task<(int Code, string Out, string Errors)> BashAsync(string? bin, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (bin is not null)
        {
            start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
