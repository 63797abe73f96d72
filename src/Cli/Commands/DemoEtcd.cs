using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Adapters.Etcd;
using Strata.Adapters.Local;
using Strata.Adapters.Secrets;
using Strata.Cli.Output;
using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Etcd;
using Strata.Core.Messages;
using Strata.Core.Serialization;
using Strata.Sandbox;
using Strata.Sandbox.Storage;

namespace Strata.Cli.Commands;

/// <summary>
/// The etcd part of <c>strata demo</c>, through the control plane's own functions, against a real etcd: a throwaway
/// single-member etcd on this machine (<see cref="LocalEtcdProcess"/>) stands in for the sandbox control plane's, holding
/// the sandbox's objects where kube-apiserver keeps them (the sandbox keeps them in memory; the demo writes them in), and
/// the sandbox gets a kubeadm control-plane node, <see cref="Node"/>, whose <c>/etc/kubernetes</c> is a folder on this
/// machine with placeholder keys (<see cref="SampleControlPlaneFiles"/>), read by exec in Pods on the node
/// (<see cref="NodeFiles"/>). A policy snapshots the etcd and takes the node's files, verified; its <c>etcdRestore</c>
/// drill rebuilds the snapshot with a measured RTO; the restore guide is written for the operator. Without etcd's
/// tools on the machine this part is skipped, saying so.
/// </summary>
internal static class DemoEtcd
{
    /// <summary>The sandbox's control-plane node, and the name of the etcd member standing for its etcd (kubeadm names members after their nodes).</summary>
    public const string Node = "cp-1";

    private const string Policy = "demo-etcd";

    /// <summary>A new path under the temporary folder for <see cref="Node"/>'s <c>/etc/kubernetes</c>: written (and deleted) by the etcd part, served before by <see cref="NodeFiles"/>.</summary>
    public static string NodeFolder() => Path.Combine(Path.GetTempPath(), $"strata-demo-{Node}-{Guid.NewGuid():N}");

    /// <summary>
    /// The sandbox's exec for Pods that have no handler of their own (<see cref="SandboxApiServer.BindExec"/> wins, as for
    /// the PostgreSQL pod): the real <c>sh</c> and <c>tar</c> against <paramref name="folder"/> for a Pod on <see cref="Node"/>
    /// that mounts its <c>/etc/kubernetes</c>, as the control-plane files Pod does.
    /// </summary>
    public static PodExecHandler NodeFiles(string folder) => new NodeFilesExec(new Dictionary<string, string> { [Node] = folder }).RunAsync;

    public static async Task<JsonObject?> RunAsync(
        SandboxApiServer source, string nodeFolder, StoreLocation location, bool json, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var connector = new GrpcEtcdConnector(new SecretResolver(environment.Variable));
        var tools = new LocalEtcdRehearsals(connector, environment.Time);
        if (tools.Unavailable is { } why)
        {
            await environment.Error.WriteLineAsync($"strata demo: etcd — skipped: {why} (apt-get install etcd-server etcd-client)");
            return null;
        }

        await environment.Error.WriteLineAsync(
            "strata demo: etcd — starting a throwaway etcd on this machine to stand in for the sandbox control plane's: the sandbox keeps its objects in memory, "
            + $"so the demo writes them into that etcd as kube-apiserver lays them out (/registry/pods/shop/…, /registry/{SampleApplication.WidgetGroup}/widgets/shop/…)...");
        var dir = Directory.CreateTempSubdirectory("strata-demo-etcd-");
        try
        {
            await using var etcd = await LocalEtcdProcess.StartAsync(tools.EtcdProgram!, Path.Combine(dir.FullName, "etcd"), Node, connector, environment.Time, cancellationToken: cancellationToken);
            var keys = await WriteObjectsAsync(source, etcd.Endpoint, cancellationToken);
            SampleControlPlaneFiles.Write(nodeFolder, Node);
            source.CreateNode(Node, controlPlane: true);
            return await RunPolicyAsync(source, etcd, keys, Path.GetFileName(tools.RestoreProgram!), location, json, environment, dir.FullName, cancellationToken);
        }
        catch (EtcdRehearsalException e)
        {
            await environment.Error.WriteLineAsync($"strata demo: etcd — failed: {e.Message}");
            return new JsonObject { ["error"] = e.Message };
        }
        finally
        {
            dir.Delete(recursive: true);
            Strata.Sandbox.Databases.ServerPrograms.DeleteFolder(nodeFolder);
        }
    }

    private static async Task<JsonObject> RunPolicyAsync(
        SandboxApiServer source, LocalEtcdProcess etcd, long keys, string restoreTool, StoreLocation location, bool json, CliEnvironment environment, string dir,
        CancellationToken cancellationToken)
    {
        var config = await DemoConfiguration.WriteAsync(source, dir, $$"""
            policies:
              - name: {{Policy}}
                clusters: [sandbox]
                schedule: "0 */6 * * *"
                rpo: 7h
                etcd:
                  controlPlaneFiles: { image: busybox:1.36, kubeconfigs: true }
                verification:
                  drill: { mode: etcdRestore }
            """, $"etcd: {{ endpoints: [{etcd.Endpoint.GetLeftPart(UriPartial.Authority)}] }}", cancellationToken);
        var (context, resources) = await ControlPlaneFactory.CreateAsync(config, location,
            name => name == DemoConfiguration.TokenVariable ? source.AdminToken : DemoKeys.Variable(name) ?? environment.Variable(name), environment.Time, cancellationToken: cancellationToken);
        using (resources)
        {
            await environment.Error.WriteLineAsync(
                $"strata demo: etcd — {keys:N0} objects in etcd at {etcd.Endpoint.GetLeftPart(UriPartial.Authority)}; control-plane node {Node} added to the sandbox. Policy {Policy} backs up the sandbox's objects, snapshots etcd through its gRPC API (Maintenance.Snapshot, checked against etcd's SHA-256 trailer), "
                + $"and copies the /etc/kubernetes of control-plane node {Node} (pki, manifests, kubeconfigs; placeholder keys) through a short-lived Pod's exec; then verifies the backup...");
            var (backup, _) = Requests.Create(new BackupRequested("sandbox", Policy, RequestedBy: "strata demo"), MessageIds.New("demo-etcd"), environment.Time.GetUtcNow(), context.Configuration);
            await InlinePipeline.RunAsync(context, backup!, cancellationToken: cancellationToken);
            var record = (await context.History.FindBackupAsync(BackupWorker.BackupIdFor(backup!), cancellationToken))!;
            var manifest = record.IsCommitted ? await ManifestFile.ReadAsync(context.Stores.Default, record.Location, cancellationToken) : null;
            if (!json)
            {
                var console = BackupTables.Console(environment);
                BackupTables.Header(console, record, location);
                if (manifest is not null)
                {
                    LayerTables.Write(console, manifest);
                }

                BackupTables.Problems(console, record.Problems);
                BackupTables.Verification(console, record);
            }

            var result = new JsonObject
            {
                ["backupId"] = record.Id,
                ["status"] = record.Status.ToString(),
                ["keysWritten"] = keys,
                ["layer"] = manifest is null ? null : JsonSerializer.SerializeToNode(manifest, StrataJson.Default.BackupManifest)!["etcd"]?.DeepClone(),
            };
            if (!record.IsVerified || manifest?.Etcd?.Snapshot is null)
            {
                return result;
            }

            await environment.Error.WriteLineAsync(
                $"strata demo: etcd — drilling the snapshot ({Policy}'s etcdRestore drill): restored with {restoreTool} "
                + "into a temporary data directory, started as a throwaway member on loopback, its keys per resource compared with the backup's objects, then torn down...");
            var (drillRequest, _) = Requests.Create(new VerifyRequested(record.Id, "sandbox", Policy, VerificationKind.Drill), MessageIds.New("demo-etcd-drill"), environment.Time.GetUtcNow(), context.Configuration);
            await InlinePipeline.RunAsync(context, drillRequest!, cancellationToken: cancellationToken);
            var drill = (await context.History.FindDrillAsync(DrillWorker.DrillIdFor(drillRequest!), cancellationToken))!;
            if (!json)
            {
                DrillTables.Summary(environment, drill);
            }

            if (drill.RtoSeconds is { } rto)
            {
                await environment.Error.WriteLineAsync($"strata demo: etcd — measured RTO of the etcd rebuild: {rto:0.0} s (download, restore, start and key check).");
            }

            result["drill"] = DrillJson.Record(drill);
            result["guide"] = await WriteGuideAsync(record.Id, location, json, environment, cancellationToken);
            return result;
        }
    }

    /// <summary>
    /// Writes the restore guide as <c>strata restore create --from-backup ID --etcd --to-dir DIR</c> would: beside the
    /// store when it is a folder (the demo's runs are there), else under the temporary folder. It is what the demo leaves.
    /// </summary>
    private static async Task<JsonObject?> WriteGuideAsync(string backupId, StoreLocation location, bool json, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var root = location.Artifacts is LocalFolderArtifactStore ? location.ArtifactsWhere : Path.GetTempPath();
        var folder = Path.Combine(root, EtcdRestoreGuide.DefaultFolder(backupId));
        await environment.Error.WriteLineAsync($"strata demo: etcd — writing the restore guide, as 'strata restore create --from-backup {backupId} --etcd --to-dir {folder}' would (it touches no cluster)...");
        var code = await EtcdRestoreGuideExecution.RunAsync(backupId, folder, location, json ? OutputMode.None : OutputMode.Table, environment, DemoKeys.Keyring, cancellationToken);
        if (code != ExitCodes.Succeeded)
        {
            return null;
        }

        var script = Path.Combine(folder, EtcdRestoreGuide.ScriptName);
        await environment.Error.WriteLineAsync($"strata demo: etcd — the restore guide is in {folder}: read {EtcdRestoreGuide.ScriptName} and {EtcdRestoreGuide.ReadmeName} (nothing was run; the demo leaves the folder for you).");
        return new JsonObject
        {
            ["folder"] = folder,
            ["snapshot"] = Path.Combine(folder, EtcdRestoreGuide.SnapshotName),
            ["script"] = script,
            ["readme"] = Path.Combine(folder, EtcdRestoreGuide.ReadmeName),
        };
    }

    /// <summary>
    /// Puts every object of the sandbox into etcd where kube-apiserver keeps it, its JSON as the value:
    /// <c>/registry/{resource}/[{namespace}/]{name}</c> for built-in resources, and under the group for those the sandbox
    /// serves from CustomResourceDefinitions and for the definitions (and APIServices) themselves (<see cref="EtcdKeyspace"/>).
    /// </summary>
    private static async Task<long> WriteObjectsAsync(SandboxApiServer source, Uri endpoint, CancellationToken cancellationToken)
    {
        var items = new List<KeyValuePair<string, byte[]>>();
        foreach (var type in source.Store.Types)
        {
            var prefix = KeptUnderGroup(type) ? EtcdKeyspace.GroupPrefix(type.Key)! : EtcdKeyspace.BuiltInPrefix(type.Key);
            var apiVersion = ResourceType.GroupVersion(type.Group, type.Versions[0]);
            items.AddRange(source.Store.Open(type).Items.Select(o => KeyValuePair.Create(prefix + o.Key, Encoding.UTF8.GetBytes(o.ToJson(apiVersion, type.Kind).ToJsonString()))));
        }

        return await EtcdWriter.PutAsync(endpoint, items, cancellationToken);
    }

    /// <summary>kube-apiserver keeps custom resources, CustomResourceDefinitions and APIServices under their group (<c>/registry/{group}/{resource}/</c>).</summary>
    private static bool KeptUnderGroup(ResourceType type) => type.IsCustom || type.Group is "apiextensions.k8s.io" or "apiregistration.k8s.io";
}
