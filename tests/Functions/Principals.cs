using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Functions.Tests;

/// <summary>
/// What the Functions host passes a custom handler for an HTTP request (<c>Data.req</c>), with the headers App Service
/// Authentication adds (<c>X-MS-CLIENT-PRINCIPAL</c>: base64 of <c>auth_typ</c>, <c>name_typ</c>, <c>role_typ</c>,
/// <c>claims</c>) and the identities the host's key check adds (<c>WebJobsAuthLevel</c> with a <c>keyid</c> claim).
/// </summary>
internal static class Principals
{
    public const string AliceObjectId = "5b5450db-eb26-4c1a-981c-ba1d25f0483d";

    /// <summary>A signed-in person, as App Service Authentication encodes them for Entra ID.</summary>
    public static string Person(string name, string objectId, params string[] roles) => Encode(new JsonObject
    {
        ["auth_typ"] = "aad",
        ["name_typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        ["role_typ"] = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        ["claims"] = new JsonArray([
            Claim("http://schemas.microsoft.com/identity/claims/objectidentifier", objectId),
            Claim("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", name),
            Claim("name", "Alice Example"),
            Claim("http://schemas.microsoft.com/identity/claims/tenantid", "bfb12ca1-7f37-47d5-9cf5-8aa52214a0d8"),
            .. roles.Select(r => Claim("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", r)),
        ]),
    });

    /// <summary>An application calling as itself (client credentials): no name, its roles in <c>roles</c> claims.</summary>
    public static string Application(string appId, string objectId, params string[] roles) => Encode(new JsonObject
    {
        ["auth_typ"] = "aad",
        ["name_typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        ["role_typ"] = "roles",
        ["claims"] = new JsonArray([
            Claim("appid", appId),
            Claim("oid", objectId),
            .. roles.Select(r => Claim("roles", r)),
        ]),
    });

    public static string Encode(JsonNode principal) => Convert.ToBase64String(Encoding.UTF8.GetBytes(principal.ToJsonString()));

    /// <summary>The invocation request for an HTTP function: the host's <c>Data.req</c>.</summary>
    public static JsonObject Request(string route, string body, string? principal = null, string? keyName = "default", string? idempotencyKey = null, string method = "POST")
    {
        var headers = new JsonObject { ["Content-Type"] = new JsonArray("application/json"), ["User-Agent"] = new JsonArray("curl/8.5.0") };
        if (principal is not null)
        {
            headers["X-MS-CLIENT-PRINCIPAL"] = new JsonArray(principal);
            headers["X-MS-CLIENT-PRINCIPAL-IDP"] = new JsonArray("aad");
        }

        if (idempotencyKey is not null)
        {
            headers["Idempotency-Key"] = new JsonArray(idempotencyKey);
        }

        var identities = new JsonArray();
        if (keyName is not null)
        {
            identities.Add(new JsonObject
            {
                ["AuthenticationType"] = "WebJobsAuthLevel",
                ["IsAuthenticated"] = true,
                ["Actor"] = null,
                ["BootstrapContext"] = null,
                ["Claims"] = new JsonArray(
                    HostClaim("http://schemas.microsoft.com/2017/07/functions/claims/authlevel", "Function"),
                    HostClaim("http://schemas.microsoft.com/2017/07/functions/claims/keyid", keyName)),
                ["Label"] = null,
                ["Name"] = null,
                ["NameClaimType"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                ["RoleClaimType"] = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            });
        }

        return new JsonObject
        {
            ["Data"] = new JsonObject
            {
                ["req"] = new JsonObject
                {
                    ["Url"] = $"https://strata-prod.azurewebsites.net/api/{route}",
                    ["Method"] = method,
                    ["Query"] = new JsonObject(),
                    ["Headers"] = headers,
                    ["Params"] = new JsonObject(),
                    ["Identities"] = identities,
                    ["Body"] = body,
                },
            },
            ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = route, ["UtcNow"] = "2026-11-21T10:00:31Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
        };
    }

    private static JsonObject Claim(string type, string value) => new() { ["typ"] = type, ["val"] = value };

    private static JsonObject HostClaim(string type, string value) => new()
    {
        ["Issuer"] = "LOCAL AUTHORITY",
        ["OriginalIssuer"] = "LOCAL AUTHORITY",
        ["Properties"] = new JsonObject(),
        ["Type"] = type,
        ["Value"] = value,
        ["ValueType"] = "http://www.w3.org/2001/XMLSchema#string",
    };
}
