using Azure.Core;
using Azure.Messaging.ServiceBus;

namespace Strata.Adapters.Azure.ServiceBus;

/// <summary>
/// The <see cref="ServiceBusClient"/> Strata uses: signed in with an Entra ID credential (never a
/// connection string), AMQP over TCP 5671, with the SDK's retries: 3 after the first, exponential from
/// 0.8 s up to 30 s, 60 s per try.
/// </summary>
public static class ServiceBusClients
{
    /// <summary>The options described above.</summary>
    public static ServiceBusClientOptions Options() => new()
    {
        TransportType = ServiceBusTransportType.AmqpTcp,
        RetryOptions = new ServiceBusRetryOptions
        {
            Mode = ServiceBusRetryMode.Exponential,
            MaxRetries = 3,
            Delay = TimeSpan.FromSeconds(0.8),
            MaxDelay = TimeSpan.FromSeconds(30),
            TryTimeout = TimeSpan.FromSeconds(60),
        },
    };

    /// <summary>A client for <paramref name="fullyQualifiedNamespace"/> (see <see cref="ServiceBusNamespace.Parse"/>).</summary>
    public static ServiceBusClient Create(string fullyQualifiedNamespace, TokenCredential credential) =>
        new(fullyQualifiedNamespace, credential, Options());
}
