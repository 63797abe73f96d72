using System.CommandLine;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Backup;
using Strata.Core.ControlPlane;
using Strata.Core.Kubernetes;
using Strata.Core.Messages;

namespace Strata.Cli.Commands;

/// <summary><c>strata backup create</c>.</summary>
internal static class BackupCreateCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path of the kubeconfig (default: $KUBECONFIG, then ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context (default: current-context)." };
        var includeNamespaces = CommonOptions.List("--include-namespaces", "Namespaces to back up (default: all).");
        var excludeNamespaces = CommonOptions.List("--exclude-namespaces", "Namespaces to leave out.");
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector, e.g. 'tier!=cache,app in (web,api)'." };
        var includeResources = CommonOptions.List("--include-resources", "Resource types to back up, as kubectl names them (default: all).");
        var excludeResources = CommonOptions.List("--exclude-resources", "Resource types to leave out.");
        var clusterResources = new Option<string>("--include-cluster-resources")
        {
            Description = "Cluster-scoped resources: true, false, or auto (those the namespaced objects need; all of them when every namespace is backed up).",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("true", "false", "auto");
        var skipGitOps = new Option<bool>("--skip-gitops-managed") { Description = "Leave out objects Argo CD or Flux manage (rebuildable from Git)." };
        var store = new StoreOptions();
        var remote = new RemoteRequest("back up");
        var cluster = new Option<string?>("--cluster") { Description = "With --remote: the cluster, by its name in strata.yaml." };
        var policy = new Option<string>("--policy")
        {
            Description = $"With --remote: the policy whose scope, retention and write-once days apply (default: {BackupWorker.AdHocPolicy}, the default scope).",
            DefaultValueFactory = _ => BackupWorker.AdHocPolicy,
        };
        var outageBudget = CommonOptions.OutageBudget();
        var output = CommonOptions.Output();

        var command = new Command("create", "Back up a cluster's API objects into the store — or, with --remote, ask the control plane to.")
        {
            kubeconfig, context, includeNamespaces, excludeNamespaces, selector, includeResources, excludeResources,
            clusterResources, skipGitOps, outageBudget, output,
        };
        store.AddTo(command);
        remote.AddTo(command, cluster, policy);
        Option[] localOnly =
        [
            kubeconfig, context, includeNamespaces, excludeNamespaces, selector, includeResources, excludeResources, clusterResources, skipGitOps, outageBudget,
            store.Store, store.Container, store.History,
        ];
        command.SetAction(async (parsed, ct) =>
        {
            if (remote.Misuse(parsed, localOnly, "here, name the cluster with --context and the scope with the --include/--exclude options") is { } misuse)
            {
                return await environment.FailAsync(misuse);
            }

            if (parsed.GetValue(remote.Remote))
            {
                if (parsed.GetValue(cluster) is not { Length: > 0 } name)
                {
                    return await environment.FailAsync("--remote needs --cluster NAME (a cluster in strata.yaml)");
                }

                var request = new BackupRequested(name, parsed.GetValue(policy)!, null, parsed.GetValue(remote.Reason), RemoteRequest.RequestedBy(environment, "backup create"));
                return await remote.SendAsync(request, BackupWorker.BackupIdFor, parsed, parsed.GetValue(output) == "json", environment, ct);
            }

            if (!LabelSelector.TryParse(parsed.GetValue(selector), out var labelSelector, out var selectorError))
            {
                return await environment.FailAsync($"--selector: {selectorError}");
            }

            var scope = new BackupScope
            {
                IncludeNamespaces = CommonOptions.Values(parsed.GetValue(includeNamespaces)),
                ExcludeNamespaces = CommonOptions.Values(parsed.GetValue(excludeNamespaces)),
                Selector = labelSelector,
                IncludeResources = CommonOptions.Values(parsed.GetValue(includeResources)),
                ExcludeResources = CommonOptions.Values(parsed.GetValue(excludeResources)),
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
                client = KubeconfigCluster.Connect(parsed.GetValue(kubeconfig), parsed.GetValue(context), environment, CommonOptions.Seconds(parsed.GetValue(outageBudget)));
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
