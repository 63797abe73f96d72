using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Cli.Output;
using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Restore;
using Strata.Core.Runs;
using Strata.Sandbox;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata demo</c>: no cluster needed. Starts an in-process sandbox API server with a sample
/// application and backs it up into the local store, exactly as <c>backup create</c> would; then
/// proves the backup by restoring it into a second, empty sandbox (a stand-in for a DR cluster),
/// exactly as <c>restore create</c> would, with <c>shop</c> restored as <c>shop-restored</c>; then drills
/// the backup as a policy's scratch drill would: restored into <c>drill-*</c> namespaces on the first
/// sandbox (whose simulated controllers roll workloads out), waited for, timed (the RTO), cleaned up; then dumps,
/// verifies, drills and restores a real PostgreSQL database through the sandbox pod's exec API, with CSI snapshots of the
/// claims beside it (<see cref="DemoDatabases"/>, <see cref="DemoVolumes"/>); then snapshots a real etcd holding the
/// sandbox's objects, with a control-plane node's files read through a Pod's exec, rebuilds the snapshot in a drill with
/// a measured RTO and writes its restore guide (<see cref="DemoEtcd"/>); then shows
/// alerting through the control plane's own functions (<see cref="DemoAlerts"/>): a partial backup pages a signed
/// webhook, the next verified backup resolves it, and the status against the RPO; last, the coverage survey of the sandbox
/// (<see cref="DemoCoverage"/>): what holds state, what protects it, and what nothing does.
/// </summary>
internal static class DemoCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var command = new Command("demo", "Back up a sample application on a sandbox API server, verify it, restore it into a second one, drill it with a measured RTO, snapshot its volumes (one inside a PostgreSQL online backup), dump, drill and restore its PostgreSQL database, snapshot its etcd with the control-plane files and rebuild it in a drill, and page a webhook when a backup goes wrong (no cluster needed).") { output };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var json = parsed.GetValue(output) == "json";
            var mode = json ? OutputMode.None : OutputMode.Table;
            var location = store.Resolve(parsed, environment);
            await environment.Error.WriteLineAsync(
                "strata demo: starting a SANDBOX Kubernetes API server in this process (not a real cluster) with a sample application...");
            // Exec in a Pod on the control-plane node reads its /etc/kubernetes, a folder the etcd part writes; the PostgreSQL pod binds its own exec.
            var nodeFolder = DemoEtcd.NodeFolder();
            await using var source = await SandboxApiServer.StartAsync(new SandboxOptions
            {
                Time = environment.Time,
                Controllers = DemoControllers,
                NamespaceDeletionDelay = TimeSpan.FromSeconds(1),
                PodExec = DemoEtcd.NodeFiles(nodeFolder),
            }, ct);
            SampleApplication.Seed(source);
            using var sourceClient = Connect(source, "sandbox", environment);
            await environment.Error.WriteLineAsync($"strata demo: sandbox API server at {source.Url} — backing it up...");
            var (backupCode, backup) = await BackupExecution.RunAsync(sourceClient, "sandbox", new BackupScope(), location, mode, environment, DemoKeys.Keyring, ct);
            if (backup?.Manifest is null)
            {
                return backupCode;
            }

            await environment.Error.WriteLineAsync(
                "strata demo: starting a second, empty SANDBOX API server (standing in for a DR cluster) and restoring the backup into it...");
            await using var target = await SandboxApiServer.StartAsync(new SandboxOptions { Time = environment.Time, CrdEstablishDelay = TimeSpan.FromMilliseconds(200) }, ct);
            using var targetClient = Connect(target, "sandbox-dr", environment);
            NamespaceMapping.TryParse(["shop:shop-restored"], out var mapping, out _);
            var request = new RestoreRequest { BackupId = backup.Record.Id, TargetCluster = "sandbox-dr", NamespaceMapping = mapping };
            var (restoreCode, restore) = await RestoreExecution.RunAsync(targetClient, request, location, mode, environment, DemoKeys.Keyring, ct);

            DrillRecord? drill = null;
            if (backup.Record.IsVerified)
            {
                await environment.Error.WriteLineAsync(
                    "strata demo: drilling the backup: a scratch restore into drill-* namespaces on the first sandbox, whose simulated controllers roll workloads out "
                    + $"after {DemoControllers.WorkloadReadyDelay.TotalSeconds:0} s; waiting for every workload, claim and Job, then deleting the namespaces...");
                drill = await DrillExecution.RunAsync(sourceClient, backup.Record, "sandbox", new DrillSettings { Timeout = TimeSpan.FromMinutes(2) },
                    location, mode, environment, ct);
            }

            var databases = await DemoDatabases.RunAsync(source, location, json, environment, ct);
            var etcd = await DemoEtcd.RunAsync(source, nodeFolder, location, json, environment, ct);
            var alerts = await DemoAlerts.RunAsync(source, location, json, environment, ct);
            var coverage = await DemoCoverage.RunAsync(source, json, environment, ct);
            if (json)
            {
                var combined = new JsonObject
                {
                    ["backup"] = JsonNode.Parse(BackupJson.Create(backup, location)),
                    ["restore"] = restore is null ? null : JsonNode.Parse(RestoreJson.Record(restore)),
                    ["drill"] = drill is null ? null : DrillJson.Record(drill),
                    ["databases"] = databases,
                    ["etcd"] = etcd,
                    ["alerts"] = alerts,
                    ["coverage"] = coverage,
                };
                await environment.Out.WriteLineAsync(combined.ToJsonString(BackupJson.Indented));
            }

            if (drill?.RtoSeconds is { } rto)
            {
                await environment.Error.WriteLineAsync($"strata demo: measured RTO of the scratch drill: {rto:0.0} s (from the drill's start to the last assertion holding).");
            }

            await WriteStatusPageAsync(source, location, environment, ct);
            await environment.Error.WriteLineAsync(
                $"strata demo: done. Those were sandboxes, not real clusters. 'strata backup list --store {location.ArtifactsWhere}', 'strata restore list' and 'strata drill list' show the runs; "
                + "with a kubeconfig, 'strata backup create --context NAME' and 'strata restore create --from-backup ID --to-context NAME' do the same against real clusters, "
                + "'strata drill run --config strata.yaml --policy P --cluster C' drills a policy's backups, "
                + "and 'strata restore create --from-backup ID --etcd' writes an etcd snapshot's restore guide.");
            return Math.Max(Math.Max(backupCode, restoreCode), drill is null ? ExitCodes.Succeeded : ExitCodes.For(drill));
        });
        return command;
    }

    /// <summary>
    /// Writes the status page of what the demo ran — each policy it ran on the sandbox, judged from the store's history as
    /// <c>strata serve</c> and the <c>dashboard</c> function judge it — to <c>status.html</c> in the store's folder, and says where.
    /// The page's strata.yaml names those policies only (no RPO: the page judges them on their verified backups alone).
    /// </summary>
    private static async Task WriteStatusPageAsync(SandboxApiServer source, StoreLocation location, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var policies = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var record in location.History.ListBackupsAsync(cancellationToken))
        {
            if (record.Cluster == "sandbox" && record.Policy != Core.ControlPlane.BackupWorker.AdHocPolicy)
            {
                policies.Add(record.Policy);
            }
        }

        if (policies.Count == 0)
        {
            return; // no policy ran (the demo stopped early): nothing for a page to judge
        }

        var dir = Directory.CreateTempSubdirectory("strata-demo-page-");
        try
        {
            var config = await DemoConfiguration.WriteAsync(source, dir.FullName, "policies:\n" + string.Concat(policies.Select(p =>
                $"  - {{ name: {p}, clusters: [sandbox], schedule: \"0 * * * *\" }}\n")), cancellationToken: cancellationToken);
            var (context, resources) = await ControlPlaneFactory.CreateAsync(config, location,
                name => name == DemoConfiguration.TokenVariable ? source.AdminToken : DemoKeys.Variable(name) ?? environment.Variable(name), environment.Time,
                cancellationToken: cancellationToken);
            using (resources)
            {
                var page = await Adapters.Dashboard.StatusPage.RespondAsync(context, null, cancellationToken);
                var folder = Directory.Exists(location.ArtifactsWhere) ? location.ArtifactsWhere : environment.StrataHome;
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, "status.html");
                await File.WriteAllTextAsync(path, page.Html, cancellationToken);
                await environment.Error.WriteLineAsync($"strata demo: status page written to {path} ('strata serve' serves it live).");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The first sandbox's simulated controllers: a rollout takes 2 s, a claim binds in 1 s, a Job runs for 1 s, a CSI snapshot is ready in 1 s once the snapshot API is installed, a Pod on a node starts in 0.5 s (real clusters take longer: image pulls, probes, disk copies).</summary>
    private static readonly SimulatedControllers DemoControllers = new()
    {
        WorkloadReadyDelay = TimeSpan.FromSeconds(2),
        VolumeBindDelay = TimeSpan.FromSeconds(1),
        JobCompletionDelay = TimeSpan.FromSeconds(1),
        Snapshots = new SimulatedSnapshots { SnapshotDelay = DemoVolumes.SnapshotDelay },
        Kubelet = new SimulatedKubelet { StartDelay = TimeSpan.FromMilliseconds(500) },
    };

    /// <summary>A client of <paramref name="server"/> through its kubeconfig, as <c>--context</c> would give.</summary>
    internal static KubernetesClient Connect(SandboxApiServer server, string name, CliEnvironment environment) =>
        new(Kubeconfig.Parse(server.Kubeconfig(name), $"{name} kubeconfig").Resolve(null, environment.Time), environment.Kubernetes, environment.Time);
}
