using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Functions;

/// <summary>
/// The caller App Service Authentication vouches for, from its <c>X-MS-CLIENT-PRINCIPAL</c> header: base64 of
/// <c>{"auth_typ": "aad", "name_typ": "…", "role_typ": "…", "claims": [{"typ": "…", "val": "…"}, …]}</c>. App Service
/// sets the header and strips one a client sent, so it is trusted only when App Service Authentication is on.
/// </summary>
/// <param name="Name">The caller's name (the <c>name_typ</c> claim, else <c>preferred_username</c>, <c>upn</c>, <c>name</c>).</param>
/// <param name="ObjectId">The caller's Entra ID object id (<c>oid</c>).</param>
/// <param name="AppId">For an application calling as itself: its client id (<c>appid</c> or <c>azp</c>).</param>
/// <param name="Roles">The app roles (claims of type <c>role_typ</c>, or <c>roles</c>).</param>
public sealed record ClientPrincipal(string? Name, string? ObjectId, string? AppId, IReadOnlySet<string> Roles)
{
    /// <summary>The header App Service Authentication sets.</summary>
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string RoleClaim = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private const string NameClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
    private const string UpnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

    // Longer than any real principal (App Service limits request headers to well under this); past it, nothing is decoded.
    private const int MaxHeaderLength = 64 * 1024;

    // What the record keeps of one claim value: a name or id, never a whole token.
    private const int MaxValueLength = 256;

    /// <summary>
    /// The principal in <paramref name="header"/>, or null with why it cannot be read in <paramref name="error"/>. The error
    /// never repeats the header's content.
    /// </summary>
    public static ClientPrincipal? Parse(string header, out string? error)
    {
        error = null;
        if (header.Length > MaxHeaderLength)
        {
            error = $"is longer than {MaxHeaderLength} characters";
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(header.Trim());
        }
        catch (FormatException)
        {
            error = "is not base64";
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            error = "is not base64 of JSON";
            return null;
        }

        if (node is not JsonObject principal || principal["claims"] is not JsonArray claims)
        {
            error = "is not a client principal (a JSON object with a 'claims' list)";
            return null;
        }

        var values = claims.OfType<JsonObject>()
            .Select(c => (Type: Text(c["typ"]), Value: Text(c["val"])))
            .Where(c => c.Type is { Length: > 0 } && c.Value is { Length: > 0 })
            .Select(c => (Type: c.Type!, Value: Clean(c.Value!)))
            .Where(c => c.Value.Length > 0)
            .ToList();
        string? First(params string?[] types) => types.Where(t => t is not null).Select(t => values.FirstOrDefault(c => c.Type == t).Value).FirstOrDefault(v => v is not null);

        var roleType = Text(principal["role_typ"]);
        var roles = values.Where(c => c.Type == roleType || c.Type is "roles" or RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var name = First(Text(principal["name_typ"]), "preferred_username", "upn", UpnClaim, NameClaim, "name");
        var objectId = First(ObjectIdClaim, "oid");
        var appId = First("appid", "azp");
        if (name is null && objectId is null && appId is null)
        {
            error = "names no one (no name, object id or app id claim)";
            return null;
        }

        return new ClientPrincipal(name, objectId, appId, roles);
    }

    /// <summary>How the run records the caller: <c>alice@contoso.com (object id …)</c>, <c>app … (object id …)</c>.</summary>
    public string Identity
    {
        get
        {
            var label = Name ?? (AppId is null ? null : $"app {AppId}");
            return label is null ? $"object id {ObjectId}" : ObjectId is null ? label : $"{label} (object id {ObjectId})";
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
            _ => null,
        }
        : null;

    /// <summary>A recorded name as one line of readable text: control characters dropped, trimmed, at most the claim-value length.</summary>
    internal static string Clean(string value)
    {
        var text = new string([.. value.Where(c => !char.IsControl(c))]).Trim();
        return text.Length > MaxValueLength ? text[..MaxValueLength] : text;
    }
}
