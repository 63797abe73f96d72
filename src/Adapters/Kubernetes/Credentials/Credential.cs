using System.Security.Cryptography.X509Certificates;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>What to present to the API server: a bearer token, a client certificate, or both.</summary>
public sealed record Credential(string? Token, X509Certificate2? ClientCertificate, DateTimeOffset? ExpiresAt = null)
{
    /// <inheritdoc />
    public override string ToString() => $"Credential(token: {(Token is null ? "none" : "***")}, certificate: {ClientCertificate?.Subject ?? "none"})";
}
