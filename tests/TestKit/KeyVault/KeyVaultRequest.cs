using System.Text.Json.Nodes;

namespace Strata.TestKit.KeyVault;

/// <summary>One request as <see cref="FakeKeyVault"/> received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, without the query (<c>/keys/NAME/VERSION/wrapkey</c>).</param>
/// <param name="ApiVersion">The <c>api-version</c> query parameter, if sent.</param>
/// <param name="BearerToken">The token of an <c>Authorization: Bearer</c> header, if sent.</param>
/// <param name="Body">The body as text (empty for GET).</param>
/// <param name="Status">What the fake answered.</param>
public sealed record KeyVaultRequest(string Method, string Path, string? ApiVersion, string? BearerToken, string Body, int Status)
{
    /// <summary>Whether an <c>Authorization: Bearer</c> header came.</summary>
    public bool Authorized => BearerToken is not null;

    /// <summary>The body as JSON (null when empty).</summary>
    public JsonObject? Json => Body.Length == 0 ? null : JsonNode.Parse(Body)!.AsObject();
}
