using Strata.Core.Configuration;

namespace Strata.Adapters.Secrets;

/// <summary>A referenced secret could not be read; the message names the reference and the reason, never a value.</summary>
public sealed class SecretUnavailableException(SecretReference reference, string reason)
    : Exception($"secret {reference} cannot be read: {reason}")
{
    /// <summary>The reference.</summary>
    public SecretReference Reference { get; } = reference;
}
