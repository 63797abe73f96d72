using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Functions.Tests;

/// <summary>The <c>X-MS-CLIENT-PRINCIPAL</c> header read as App Service Authentication writes it, and refused, named, when it is not.</summary>
public sealed class ClientPrincipalTests
{
    [Fact]
    public void Parse_Person_ReadsNameObjectIdAndRoles()
    {
        var principal = ClientPrincipal.Parse(Principals.Person("alice@contoso.com", "5b54", AppRoles.Requester, AppRoles.Operator), out var error);

        Assert.Null(error);
        Assert.Equal(("alice@contoso.com", "5b54"), (principal!.Name, principal.ObjectId));
        Assert.Equal([AppRoles.Operator, AppRoles.Requester], principal.Roles.Order(StringComparer.Ordinal));
        Assert.Equal("alice@contoso.com (object id 5b54)", principal.Identity);
    }

    [Fact]
    public void Parse_Application_RolesFromItsRoleType_NamedByAppId()
    {
        var principal = ClientPrincipal.Parse(Principals.Application("0c1f", "9f54", AppRoles.Requester), out _);

        Assert.Equal([AppRoles.Requester], principal!.Roles);
        Assert.Equal("app 0c1f (object id 9f54)", principal.Identity);
    }

    [Fact]
    public void Parse_ClaimValuesThatAreNumbersOrControlCharacters_AreReadAsText()
    {
        var header = Principals.Encode(JsonNode.Parse("""
            {"auth_typ":"aad","name_typ":"name","role_typ":"roles",
             "claims":[{"typ":"name","val":"Mallory\r\nStatus: Verified"},{"typ":"oid","val":42},{"typ":"roles","val":"Strata.Requester"},{"typ":"groups"}]}
            """)!);

        var principal = ClientPrincipal.Parse(header, out _);

        Assert.Equal("MalloryStatus: Verified (object id 42)", principal!.Identity);
    }

    [Theory]
    [InlineData("%%%", "is not base64")]
    [InlineData("e30=", "is not a client principal (a JSON object with a 'claims' list)")] // {}
    [InlineData("eyJjbGFpbXMiOiJub25lIn0=", "is not a client principal")] // {"claims":"none"}
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6InJvbGVzIiwidmFsIjoiU3RyYXRhLk9wZXJhdG9yIn1dfQ==", "names no one")] // a role, no one to record
    public void Parse_Unreadable_SaysWhyWithoutRepeatingIt(string header, string expected)
    {
        Assert.Null(ClientPrincipal.Parse(header, out var error));

        Assert.StartsWith(expected, error);
        Assert.DoesNotContain(header, error);
    }

    [Fact]
    public void Parse_NestedTooDeep_IsRefusedNotThrown()
    {
        var deep = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\":" + new string('[', 10_000) + new string(']', 10_000) + "}"));

        Assert.Null(ClientPrincipal.Parse(deep, out var error));
        Assert.Equal("is not base64 of JSON", error);
    }

    [Fact]
    public void Parse_Huge_IsRefusedBeforeDecoding()
    {
        Assert.Null(ClientPrincipal.Parse(new string('A', 100_000), out var error));
        Assert.StartsWith("is longer than", error);
    }
}
