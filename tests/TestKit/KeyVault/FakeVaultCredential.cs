using Azure.Core;

namespace Strata.TestKit.KeyVault;

/// <summary>
/// The credential <see cref="FakeKeyVault"/> expects: its tokens say what they were asked for,
/// <c>fake-vault-token;tenant=TENANT;scope=SCOPE</c> (tenant <c>home</c> when none was asked), so the fake can tell a
/// token for the tenant it challenged for and a test can read the scope off the recorded request.
/// </summary>
public sealed class FakeVaultCredential : TokenCredential
{
    /// <summary>The token for <paramref name="tenantId"/> and <paramref name="scopes"/>.</summary>
    public static string TokenFor(string? tenantId, IEnumerable<string> scopes) =>
        $"fake-vault-token;tenant={tenantId ?? "home"};scope={string.Join(' ', scopes)}";

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(TokenFor(requestContext.TenantId, requestContext.Scopes), DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
