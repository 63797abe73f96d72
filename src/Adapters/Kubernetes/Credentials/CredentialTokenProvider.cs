using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using k8s.Authentication;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>
/// Hands a changing credential to the SDK as its <see cref="ITokenProvider"/>
/// (<c>KubernetesClientConfiguration.TokenProvider</c>), so typed calls, raw requests and
/// WebSocket exec all present the current token. The SDK has no notion of a refused credential;
/// <see cref="KubernetesClient"/> calls <see cref="RefreshAsync"/> after a 401 and tries once more.
/// </summary>
public sealed class CredentialTokenProvider(ICredentialSource source) : ITokenProvider
{
    private Credential? _last;

    /// <summary>Where the credential comes from.</summary>
    public ICredentialSource Source => source;

    /// <summary>
    /// The client certificate of the credential last handed out, for the TLS handshake (an exec
    /// plugin may return one, and rotate it).
    /// </summary>
    public X509Certificate2? ClientCertificate => Volatile.Read(ref _last)?.ClientCertificate;

    /// <inheritdoc />
    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        Header(await FetchAsync(refresh: false, cancellationToken))!;

    /// <summary>Fetches a new credential after the server refused the current one.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default) => await FetchAsync(refresh: true, cancellationToken);

    private async Task<Credential> FetchAsync(bool refresh, CancellationToken cancellationToken)
    {
        var credential = await source.GetAsync(refresh, cancellationToken);
        Volatile.Write(ref _last, credential);
        return credential;
    }

    // A certificate-only credential sends no Authorization header: the SDK sets it to null.
    private static AuthenticationHeaderValue? Header(Credential credential) =>
        credential.Token is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
}
