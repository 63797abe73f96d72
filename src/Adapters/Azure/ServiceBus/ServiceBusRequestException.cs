namespace Strata.Adapters.Azure.ServiceBus;

/// <summary>
/// A Service Bus operation failed after the client's retries: the message names the queue, the namespace
/// and what to do about it, never a token. <see cref="IsTransient"/> says whether trying later may help.
/// </summary>
public sealed class ServiceBusRequestException(string message, bool isTransient, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>Whether the same request may succeed later (the service was busy or unreachable).</summary>
    public bool IsTransient { get; } = isTransient;
}
