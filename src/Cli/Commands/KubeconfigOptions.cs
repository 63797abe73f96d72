using System.CommandLine;
using Strata.Adapters.Kubernetes;

namespace Strata.Cli.Commands;

/// <summary>
/// The options that say which cluster a local command talks to — the kubeconfig, its context, and how long
/// the API server may be unreachable mid-run — declared once for <c>backup create</c> and <c>restore create</c>.
/// </summary>
internal sealed class KubeconfigOptions
{
    public KubeconfigOptions(string contextName, string contextDescription)
    {
        Context = new Option<string?>(contextName) { Description = contextDescription };
    }

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Path of the kubeconfig (default: $KUBECONFIG, then ~/.kube/config)." };

    public Option<string?> Context { get; }

    public Option<int?> OutageBudget { get; } = new("--outage-budget")
    {
        Description = "Seconds the API server may stay unreachable mid-run (a restart, an upgrade) before the run fails; retries back off meanwhile (default 120).",
    };

    public IEnumerable<Option> All => [Kubeconfig, Context, OutageBudget];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>A client for the chosen cluster; <see cref="Adapters.Kubernetes.Configuration.KubeconfigException"/> says why when there is none.</summary>
    public KubernetesClient Connect(ParseResult parsed, CliEnvironment environment) =>
        KubeconfigCluster.Connect(
            parsed.GetValue(Kubeconfig), parsed.GetValue(Context), environment,
            parsed.GetValue(OutageBudget) is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
}
