using System.CommandLine;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Restore;

namespace Strata.Cli.Commands;

/// <summary><c>strata restore create</c>.</summary>
internal static class RestoreCreateCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var fromBackup = new Option<string>("--from-backup") { Description = "The backup to restore (see 'strata backup list').", Required = true };
        var cluster = new KubeconfigOptions("--to-context", "Kubeconfig context to restore into (default: current-context); may be another cluster than the backup's.");
        var selection = new SelectionOptions("restore");
        var mappings = CommonOptions.List("--namespace-mappings", "Restore namespaces under other names: source:target.");
        var existing = new Option<string>("--existing-resource-policy")
        {
            Description = "Objects that already exist: skip (leave them, reported) or update (apply the backup over them). Nothing is ever deleted.",
            DefaultValueFactory = _ => "skip",
        }.AcceptOnlyFromAmong("skip", "update");
        var dryRun = new Option<bool>("--dry-run") { Description = "Have the server validate every object (dryRun=All) and report what would happen; nothing is changed." };
        var allowIncomplete = new Option<bool>("--allow-incomplete") { Description = "Restore from a backup without a manifest (its artifacts cannot be checked)." };
        var allowUnsigned = CommonOptions.AllowUnsigned("Restore from", "the run history records it as signed, or it is only in the store and manifests are signed");
        var priorities = CommonOptions.List("--priorities", "Resources to restore ahead of the other built-in or custom resources, in this order (merged into the default order, never replacing it).");
        var store = new StoreOptions();
        var keys = new KeyOptions();
        var config = CommonOptions.Config("for --database, the policy that says how to reach the server; for objects and --etcd, its encryption keys and signing key; with --remote, to refuse what the control plane would refuse before sending.");
        var remote = new RemoteRequest("restore", config);
        var toCluster = new Option<string?>("--to-cluster") { Description = "With --remote: the cluster to restore into, by its name in strata.yaml." };
        var output = CommonOptions.Output();
        var database = new Option<string?>("--database") { Description = "Restore one database dump instead of objects: NAMESPACE/TARGET/DATABASE, as the backup's manifest names it (needs --config, whose policy says how to reach the server)." };
        var toDatabase = new Option<string?>("--to-database") { Description = "With --database: the database to restore into (default: the dumped database's name); created when missing." };
        var toPod = new Option<string?>("--to-pod") { Description = "With --database: the pod whose tools restore it (default: the target's pod in strata.yaml)." };
        var clean = new Option<bool>("--clean") { Description = "With --database: restore over a database that has tables, dropping what the dump recreates (refused without it)." };
        var etcd = new Option<bool>("--etcd")
        {
            Description = "Write a restore guide for the backup's etcd snapshot instead of restoring objects: the snapshot (checked) and restore-etcd.sh, "
                + "a script per control-plane member, into --to-dir. Touches no cluster.",
        };
        var toDir = new Option<string?>("--to-dir") { Description = "With --etcd: the folder to write the snapshot, script and README to (default ./etcd-restore-ID)." };

        var command = new Command("create", "Restore a backup's objects into a cluster, in dependency order — or, with --remote, ask the control plane to; with --etcd, write the etcd snapshot and a restore script for the operator.") { fromBackup };
        cluster.AddTo(command);
        selection.AddTo(command);
        foreach (var option in new Option[] { mappings, existing, dryRun, allowIncomplete, allowUnsigned, priorities, output, database, toDatabase, toPod, clean, config, etcd, toDir })
        {
            command.Options.Add(option);
        }

        store.AddTo(command);
        keys.AddTo(command);
        remote.AddTo(command, toCluster);

        // What a RestoreRequested cannot carry: the control plane reads its own store, with the default order.
        Option[] localOnly =
        [
            .. cluster.All, selection.ExcludeNamespaces, selection.IncludeResources, selection.ExcludeResources, allowIncomplete, priorities,
            .. store.All, keys.Keys,
        ];
        // What steers an object or database restore: nothing of it applies to the etcd guide, which restores nothing.
        Option[] notForEtcd =
        [
            .. cluster.All, selection.IncludeNamespaces, selection.ExcludeNamespaces, selection.Selector, selection.IncludeResources, selection.ExcludeResources, mappings, existing, dryRun, allowIncomplete, priorities, database, toDatabase, toPod, clean,
            remote.Remote, toCluster,
        ];
        command.SetAction(async (parsed, ct) =>
        {
            var outputMode = parsed.GetValue(output) == "json" ? OutputMode.Json : OutputMode.Table;
            if (parsed.GetValue(etcd))
            {
                if (notForEtcd.FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false }) is { } misplaced)
                {
                    return await environment.FailAsync($"{misplaced.Name} does not go with --etcd: the etcd restore guide writes files for the operator and touches no cluster");
                }

                // strata.yaml's keyring, signer included: the guide hands the operator a snapshot to restore, so its signature is checked like any restore's.
                var (guideKeys, guideKeyError) = await keys.ResolveAsync(parsed, environment, parsed.GetValue(config), ct);
                return guideKeys is null
                    ? await environment.FailAsync(guideKeyError!)
                    : await EtcdRestoreGuideExecution.RunAsync(parsed.GetValue(fromBackup)!, parsed.GetValue(toDir), store.Resolve(parsed, environment), outputMode, environment, guideKeys, ct,
                        parsed.GetValue(allowUnsigned));
            }

            if (parsed.GetValue(toDir) is not null)
            {
                return await environment.FailAsync("--to-dir goes with --etcd");
            }

            if (parsed.GetValue(database) is { } dumped)
            {
                if (parsed.GetValue(remote.Remote))
                {
                    return await environment.FailAsync("--database restores run here, through the target's executor: leave out --remote");
                }

                var databaseRequest = new DatabaseRestoreExecution.Request(
                    parsed.GetValue(fromBackup)!, dumped, parsed.GetValue(toDatabase), parsed.GetValue(toPod), parsed.GetValue(toCluster), parsed.GetValue(clean), parsed.GetValue(allowUnsigned));
                var databaseOutput = parsed.GetValue(output) == "json" ? OutputMode.Json : OutputMode.Table;
                return await DatabaseRestoreExecution.RunAsync(parsed.GetValue(config), databaseRequest, store.Resolve(parsed, environment), databaseOutput, environment, ct);
            }

            if (remote.Misuse(parsed, localOnly, "here, name the cluster with --to-context") is { } misuse)
            {
                return await environment.FailAsync(misuse);
            }

            if (parsed.GetValue(toDatabase) is not null || parsed.GetValue(toPod) is not null || parsed.GetValue(clean))
            {
                return await environment.FailAsync("--to-database, --to-pod and --clean go with --database NAMESPACE/TARGET/DATABASE");
            }

            var (chosen, selectionError) = selection.Read(parsed);
            if (chosen is null)
            {
                return await environment.FailAsync(selectionError!);
            }

            if (!NamespaceMapping.TryParse(CommonOptions.Values(parsed.GetValue(mappings)), out var mapping, out var mappingError))
            {
                return await environment.FailAsync($"--namespace-mappings: {mappingError}");
            }

            var existingPolicy = parsed.GetValue(existing) == "update" ? ExistingResourcePolicy.Update : ExistingResourcePolicy.Skip;
            if (parsed.GetValue(remote.Remote))
            {
                if (parsed.GetValue(toCluster) is not { Length: > 0 } target)
                {
                    return await environment.FailAsync("--remote needs --to-cluster NAME (a cluster in strata.yaml)");
                }

                var namespaces = chosen.IncludeNamespaces;
                var pairs = CommonOptions.Values(parsed.GetValue(mappings)).Select(p => p.Split(':', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
                var request = new RestoreRequested(
                    parsed.GetValue(fromBackup)!, target, namespaces.Count > 0 ? namespaces : null, pairs.Count > 0 ? pairs : null,
                    parsed.GetValue(selection.Selector), existingPolicy, parsed.GetValue(dryRun), parsed.GetValue(remote.Reason), RemoteRequest.RequestedBy(environment, "restore create --remote"));
                return await remote.SendAsync(request, RestoreWorker.RestoreIdFor, parsed, parsed.GetValue(output) == "json", environment, ct);
            }

            KubernetesClient client;
            try
            {
                client = cluster.Connect(parsed, environment);
            }
            catch (KubeconfigException e)
            {
                return await environment.FailAsync(e.Message);
            }

            var (keyring, keyError) = await keys.ResolveAsync(parsed, environment, parsed.GetValue(config), ct);
            if (keyring is null)
            {
                client.Dispose();
                return await environment.FailAsync(keyError!);
            }

            using (client)
            {
                var request = new RestoreRequest
                {
                    BackupId = parsed.GetValue(fromBackup)!,
                    TargetCluster = client.Connection.Name,
                    IncludeNamespaces = chosen.IncludeNamespaces,
                    ExcludeNamespaces = chosen.ExcludeNamespaces,
                    Selector = chosen.Selector,
                    IncludeResources = chosen.IncludeResources,
                    ExcludeResources = chosen.ExcludeResources,
                    NamespaceMapping = mapping,
                    ExistingResourcePolicy = existingPolicy,
                    DryRun = parsed.GetValue(dryRun),
                    AllowIncomplete = parsed.GetValue(allowIncomplete),
                    AllowUnsigned = parsed.GetValue(allowUnsigned),
                    Priorities = CommonOptions.Values(parsed.GetValue(priorities)),
                    RequestedBy = RemoteRequest.RequestedBy(environment, "restore create"),
                };
                var location = store.Resolve(parsed, environment);
                var mode = parsed.GetValue(output) == "json" ? OutputMode.Json : OutputMode.Table;
                return (await RestoreExecution.RunAsync(client, request, location, mode, environment, keyring, ct)).Code;
            }
        });
        return command;
    }
}
