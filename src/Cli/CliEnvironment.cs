using Azure.Core;
using Azure.Messaging.ServiceBus;
using Strata.Adapters.Alerts;
using Strata.Adapters.Kubernetes;

namespace Strata.Cli;

/// <summary>What a command sees of the world: its output streams, environment variables and clock.</summary>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, Func<string, string?> Variable, bool ErrorIsTerminal, TimeProvider Time)
{
    /// <summary>The Entra ID credential for <c>--remote</c> and <c>run --service-bus</c> (Service Bus, and strata.yaml in a blob); default <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? AzureCredential { get; init; }

    /// <summary>
    /// Makes the Service Bus client for a namespace; default <see cref="Adapters.Azure.ServiceBus.ServiceBusClients.Create"/>.
    /// Tests pass a client built on the SDK's test seams (no broker runs here).
    /// </summary>
    public Func<string, TokenCredential, ServiceBusClient> ServiceBusClients { get; init; } =
        (fullyQualifiedNamespace, credential) => Adapters.Azure.ServiceBus.ServiceBusClients.Create(fullyQualifiedNamespace, credential);

    /// <summary>The tuning of Kubernetes clients (retries, outage budget); default <see cref="KubernetesClientOptions"/>'s.</summary>
    public KubernetesClientOptions? Kubernetes { get; init; }

    /// <summary>How alert channels post (attempts, backoff, transport); default <see cref="AlertDeliveryOptions"/>'s. Tests trust their sink's CA here.</summary>
    public AlertDeliveryOptions? AlertDelivery { get; init; }

    public static CliEnvironment FromProcess() => new(
        Console.Out, Console.Error, Environment.GetEnvironmentVariable, !Console.IsErrorRedirected, TimeProvider.System);

    /// <summary><c>$STRATA_HOME</c>, default <c>~/.strata</c>.</summary>
    public string StrataHome =>
        Variable("STRATA_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".strata");

    /// <summary>Says what went wrong on one line of standard error; returns <see cref="ExitCodes.Failed"/>.</summary>
    public async Task<int> FailAsync(string message)
    {
        await Error.WriteLineAsync($"strata: {message}");
        return ExitCodes.Failed;
    }
}
