using System.Globalization;
using Strata.Adapters.Kubernetes.Configuration;

namespace Strata.Adapters.Kubernetes;

/// <summary>App settings that tune the control plane's Kubernetes clients (the CLI has flags instead).</summary>
public static class KubernetesSettings
{
    /// <summary>Seconds a cluster's API server may stay unreachable mid-run before the run fails; default 120.</summary>
    public const string OutageBudget = "STRATA_OUTAGE_BUDGET";

    /// <summary>The options the settings ask for: the defaults, with what is set.</summary>
    public static KubernetesClientOptions Options(Func<string, string?> setting)
    {
        var options = new KubernetesClientOptions();
        if (setting(OutageBudget) is not { Length: > 0 } text)
        {
            return options;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? options with { OutageBudget = TimeSpan.FromSeconds(seconds) }
            : throw new KubeconfigException($"{OutageBudget}: '{text}' is not a number of seconds");
    }
}
