namespace Strata.Adapters.Hosting;

/// <summary>A <c>--store</c> or <c>--history</c> value that cannot be used; the message says why.</summary>
public sealed class StoreConfigurationException(string message) : Exception(message);
