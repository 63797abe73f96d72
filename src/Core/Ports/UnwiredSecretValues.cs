using Strata.Core.Configuration;

namespace Strata.Core.Ports;

/// <summary>The <see cref="ISecretValues"/> of a host that reads no secrets: every reference fails, saying which.</summary>
public sealed class UnwiredSecretValues : ISecretValues
{
    /// <summary>The one instance.</summary>
    public static UnwiredSecretValues Instance { get; } = new();

    /// <inheritdoc />
    public Task<string> ResolveAsync(SecretReference reference, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"{reference}: this host reads no secrets");
}
