using System.Security.Cryptography.X509Certificates;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>What to present to the API server: a bearer token, a client certificate, or both.</summary>
public sealed record Credential(string? Token, X509Certificate2? ClientCertificate, DateTimeOffset? ExpiresAt = null)
{
    /// <inheritdoc />
    public override string ToString() => $"Credential(token: {(Token is null ? "none" : "***")}, certificate: {ClientCertificate?.Subject ?? "none"})";
}

/// <summary>A source of credentials; may cache and refresh them.</summary>
public interface ICredentialSource
{
    /// <summary>The current credential; <paramref name="refresh"/> after a 401 forces a new one.</summary>
    ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default);
}

/// <summary>A token and/or certificate fixed in the kubeconfig.</summary>
public sealed class StaticCredential(string? token, X509Certificate2? certificate) : ICredentialSource
{
    private readonly Credential _credential = new(token, certificate);

    /// <inheritdoc />
    public ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default) => ValueTask.FromResult(_credential);
}
