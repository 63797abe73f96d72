using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Strata.Adapters.KeyVault;

/// <summary>
/// Bearer tokens for Key Vault, following its challenge: the first request carries a token for
/// <c>https://vault.azure.net/.default</c> from the credential's home tenant; a vault in another tenant or cloud
/// answers 401 with <c>WWW-Authenticate: Bearer authorization="https://login…/TENANT", resource="https://vault…"</c>
/// (or <c>scope=</c>), and the request is sent again once with a token for that tenant and resource, which later
/// requests keep using. A resource outside the vault's own domain is refused unless verification is off, so a host
/// cannot make the identity fetch a token meant for another service. Continuous-access (claims) challenges go to
/// Azure.Core's own handling.
/// </summary>
internal sealed partial class KeyVaultChallengePolicy(TokenCredential credential, bool verifyResource)
    : BearerTokenAuthenticationPolicy(credential, KeyVaultKeys.Scope)
{
    private Challenge? _challenge;

    protected override ValueTask AuthorizeRequestAsync(HttpMessage message) =>
        Volatile.Read(ref _challenge) is { } challenge ? AuthenticateAndAuthorizeRequestAsync(message, challenge.Context(message)) : base.AuthorizeRequestAsync(message);

    protected override void AuthorizeRequest(HttpMessage message)
    {
        if (Volatile.Read(ref _challenge) is { } challenge)
        {
            AuthenticateAndAuthorizeRequest(message, challenge.Context(message));
        }
        else
        {
            base.AuthorizeRequest(message);
        }
    }

    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (Read(message) is not { } challenge)
        {
            return await base.AuthorizeRequestOnChallengeAsync(message);
        }

        Volatile.Write(ref _challenge, challenge);
        await AuthenticateAndAuthorizeRequestAsync(message, challenge.Context(message));
        return true;
    }

    protected override bool AuthorizeRequestOnChallenge(HttpMessage message)
    {
        if (Read(message) is not { } challenge)
        {
            return base.AuthorizeRequestOnChallenge(message);
        }

        Volatile.Write(ref _challenge, challenge);
        AuthenticateAndAuthorizeRequest(message, challenge.Context(message));
        return true;
    }

    /// <summary>The tenant and scope a Key Vault challenge names; null when it is not one, or names a foreign resource.</summary>
    private Challenge? Read(HttpMessage message)
    {
        if (!message.HasResponse || !message.Response.Headers.TryGetValue("WWW-Authenticate", out var header))
        {
            return null;
        }

        var parameters = Parameter().Matches(header).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.OrdinalIgnoreCase);
        var authorization = parameters.GetValueOrDefault("authorization") ?? parameters.GetValueOrDefault("authorization_uri");
        var scope = parameters.GetValueOrDefault("scope") ?? (parameters.GetValueOrDefault("resource") is { Length: > 0 } resource ? resource.TrimEnd('/') + "/.default" : null);
        if (authorization is null || scope is null || !Uri.TryCreate(scope, UriKind.Absolute, out var audience))
        {
            return null;
        }

        var host = message.Request.Uri.Host ?? "";
        if (verifyResource && !host.Equals(audience.Host, StringComparison.OrdinalIgnoreCase) && !host.EndsWith("." + audience.Host, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var tenant = Uri.TryCreate(authorization, UriKind.Absolute, out var authority) ? authority.AbsolutePath.Trim('/').Split('/')[0] : null;
        return new Challenge(scope, tenant is { Length: > 0 } ? tenant : null);
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_]+)\s*=\s*""(?<value>[^""]*)""")]
    private static partial Regex Parameter();

    private sealed record Challenge(string Scope, string? TenantId)
    {
        public TokenRequestContext Context(HttpMessage message) =>
            new(scopes: [Scope], parentRequestId: message.Request.ClientRequestId, tenantId: TenantId);
    }
}
