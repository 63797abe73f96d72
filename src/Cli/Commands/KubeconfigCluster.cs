using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;

namespace Strata.Cli.Commands;

/// <summary>The cluster a CLI command talks to: a kubeconfig context, or the pod's service account.</summary>
internal static class KubeconfigCluster
{
    /// <summary>
    /// A client for the context (or in-cluster); <paramref name="outageBudget"/> overrides how long
    /// the server may be unreachable mid-run. Throws <see cref="KubeconfigException"/> with a one-line reason when it cannot.
    /// </summary>
    public static KubernetesClient Connect(string? kubeconfig, string? context, CliEnvironment environment, TimeSpan? outageBudget = null)
    {
        ClusterConnection connection;
        if (string.IsNullOrEmpty(kubeconfig) && string.IsNullOrEmpty(environment.Variable("KUBECONFIG"))
            && string.IsNullOrEmpty(context) && InClusterConfiguration.IsAvailable(environment.Variable))
        {
            connection = InClusterConfiguration.Load(environment.Variable, time: environment.Time);
        }
        else
        {
            connection = Kubeconfig.Load(kubeconfig, environment.Variable).Resolve(context, environment.Time);
        }

        var options = environment.Kubernetes ?? new KubernetesClientOptions();
        return new KubernetesClient(connection, outageBudget is { } budget ? options with { OutageBudget = budget } : options, environment.Time);
    }
}
