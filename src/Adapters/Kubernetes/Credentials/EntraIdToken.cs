using Azure.Core;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>
/// An Entra ID access token for AKS (scope <see cref="ConfiguredClusters.AksScope"/>); Azure.Identity
/// caches it and renews it before it expires.
/// </summary>
internal sealed class EntraIdToken(TokenCredential credential) : ICredentialSource
{
    public async ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([ConfiguredClusters.AksScope]), cancellationToken);
        return new Credential(token.Token, null, token.ExpiresOn);
    }
}
