using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;

namespace Strata.Cli.Commands;

/// <summary>Finds the cluster to talk to: a kubeconfig context, or the pod's service account.</summary>
internal static class ClusterConnector
{
    /// <summary>Throws <see cref="KubeconfigException"/> with a one-line reason when it cannot.</summary>
    public static KubernetesClient Connect(string? kubeconfig, string? context, CliEnvironment environment)
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

        return new KubernetesClient(connection, time: environment.Time);
    }
}
