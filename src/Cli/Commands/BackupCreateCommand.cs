using System.CommandLine;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Backup;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Cli.Commands;

/// <summary><c>strata backup create</c>.</summary>
internal static class BackupCreateCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var cluster = new KubeconfigOptions("--context", "Kubeconfig context (default: current-context).");
        var selection = new SelectionOptions("back up");
        var clusterResources = new Option<string>("--include-cluster-resources")
        {
            Description = "Cluster-scoped resources: true, false, or auto (those the namespaced objects need; all of them when every namespace is backed up).",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("true", "false", "auto");
        var skipGitOps = new Option<bool>("--skip-gitops-managed") { Description = "Leave out objects Argo CD or Flux manage (rebuildable from Git)." };
        var store = new StoreOptions();
        var remote = new RemoteRequest("back up");
        var remoteCluster = new Option<string?>("--cluster") { Description = "With --policy or --remote: the cluster, by its name in strata.yaml." };
        var policy = new Option<string>("--policy")
        {
            Description = "Run a policy of strata.yaml (--config) once, here, on --cluster: its scope and layers, then its verification, as the control plane does. "
                + $"With --remote: the policy whose scope, retention and write-once days apply (default: {BackupWorker.AdHocPolicy}, the default scope).",
            DefaultValueFactory = _ => BackupWorker.AdHocPolicy,
        };
        var output = CommonOptions.Output();

        var command = new Command("create", "Back up a cluster's API objects into the store — or, with --remote, ask the control plane to.");
        cluster.AddTo(command);
        selection.AddTo(command);
        command.Options.Add(clusterResources);
        command.Options.Add(skipGitOps);
        command.Options.Add(output);
        store.AddTo(command);
        remote.AddTo(command, remoteCluster, policy);
        Option[] localOnly =
        [
            .. cluster.All, selection.IncludeNamespaces, selection.ExcludeNamespaces, selection.Selector, selection.IncludeResources, selection.ExcludeResources,
            clusterResources, skipGitOps, .. store.All,
        ];
        command.SetAction(async (parsed, ct) =>
        {
            if (!parsed.GetValue(remote.Remote) && parsed.GetResult(policy) is { Implicit: false })
            {
                // A policy's backup, here: the policy names the scope, strata.yaml the cluster.
                var misplaced = localOnly.Except(store.All).Concat([remote.Reason, remote.ServiceBus, remote.IdempotencyKey])
                    .FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false });
                if (misplaced is not null)
                {
                    return await environment.FailAsync($"{misplaced.Name} cannot be used with --policy: the policy in strata.yaml names the scope and the cluster");
                }

                if (parsed.GetValue(remoteCluster) is not { Length: > 0 } clusterName)
                {
                    return await environment.FailAsync("--policy needs --cluster NAME (a cluster in strata.yaml that the policy protects)");
                }

                return await PolicyBackupExecution.RunAsync(parsed.GetValue(remote.Config), parsed.GetValue(policy)!, clusterName,
                    store.Resolve(parsed, environment), parsed.GetValue(output) == "json" ? OutputMode.Json : OutputMode.Table, environment, ct);
            }

            if (remote.Misuse(parsed, localOnly, "here, name the cluster with --context and the scope with the --include/--exclude options") is { } misuse)
            {
                return await environment.FailAsync(misuse);
            }

            if (parsed.GetValue(remote.Remote))
            {
                if (parsed.GetValue(remoteCluster) is not { Length: > 0 } name)
                {
                    return await environment.FailAsync("--remote needs --cluster NAME (a cluster in strata.yaml)");
                }

                var request = new BackupRequested(name, parsed.GetValue(policy)!, null, parsed.GetValue(remote.Reason), RemoteRequest.RequestedBy(environment, "backup create --remote"));
                return await remote.SendAsync(request, BackupWorker.BackupIdFor, parsed, parsed.GetValue(output) == "json", environment, ct);
            }

            var (chosen, selectionError) = selection.Read(parsed);
            if (chosen is null)
            {
                return await environment.FailAsync(selectionError!);
            }

            var scope = new BackupScope
            {
                IncludeNamespaces = chosen.IncludeNamespaces,
                ExcludeNamespaces = chosen.ExcludeNamespaces,
                Selector = chosen.Selector,
                IncludeResources = chosen.IncludeResources,
                ExcludeResources = chosen.ExcludeResources,
                ClusterResources = parsed.GetValue(clusterResources) switch
                {
                    "true" => ClusterResourcesMode.Include,
                    "false" => ClusterResourcesMode.Exclude,
                    _ => ClusterResourcesMode.Auto,
                },
                SkipGitOpsManaged = parsed.GetValue(skipGitOps),
            };

            Adapters.Kubernetes.KubernetesClient client;
            try
            {
                client = cluster.Connect(parsed, environment);
            }
            catch (KubeconfigException e)
            {
                return await environment.FailAsync(e.Message);
            }

            using (client)
            {
                var location = store.Resolve(parsed, environment);
                var json = parsed.GetValue(output) == "json";
                return await BackupExecution.RunAsync(client, client.Connection.Name, scope, location, json, environment, ct);
            }
        });
        return command;
    }
}
