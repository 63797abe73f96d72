using Strata.Core.Configuration;

namespace Strata.Core.Ports;

/// <summary>Reads the value behind a <see cref="SecretReference"/> (environment, file, Key Vault) when it is needed, never earlier.</summary>
public interface ISecretValues
{
    /// <summary>The value; throws with a message naming the reference (never the value) when it cannot be read.</summary>
    Task<string> ResolveAsync(SecretReference reference, CancellationToken cancellationToken = default);
}
