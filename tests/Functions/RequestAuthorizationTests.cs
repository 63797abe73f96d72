namespace Strata.Functions.Tests;

/// <summary>How the handler knows App Service Authentication is on, and what each setting combination requires.</summary>
public sealed class RequestAuthorizationTests
{
    private static HttpInvocation Request(string? principal = null) => new(
        "POST", "{}",
        principal is null ? new Dictionary<string, string>() : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["x-ms-client-principal"] = principal },
        new Dictionary<string, string>());

    [Theory]
    [InlineData(null, null, false, false)]
    [InlineData("True", null, true, true)] // App Service sets WEBSITE_AUTH_ENABLED=True: roles required by default
    [InlineData("False", null, false, false)]
    [InlineData("True", "false", true, false)] // signed-in callers recorded, keys enough
    [InlineData(null, "true", false, true)]
    public void FromSettings_AppServiceAuthenticationAndTheOverride(string? authEnabled, string? require, bool authentication, bool roles)
    {
        var settings = new Dictionary<string, string?> { [RequestAuthorization.AuthEnabledSetting] = authEnabled, [RequestAuthorization.RequireAppRolesSetting] = require };

        Assert.Equal(new RequestAuthorization(authentication, roles), RequestAuthorization.FromSettings(n => settings.GetValueOrDefault(n)));
    }

    [Fact]
    public void FromSettings_NotTrueOrFalse_StopsTheHandler()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RequestAuthorization.FromSettings(n => n == RequestAuthorization.RequireAppRolesSetting ? "yes" : null));

        Assert.Equal("app setting STRATA_REQUIRE_APP_ROLES is 'yes', not true or false", error.Message);
    }

    [Fact]
    public void Authorize_RolesRequiredButAuthenticationOff_RefusesWorkAs500_ReadsStatus()
    {
        var misconfigured = new RequestAuthorization(AppServiceAuthentication: false, RequireAppRoles: true);

        var work = misconfigured.Authorize(FunctionCatalog.Get("request-backup"), Request(Principals.Person("a@b.c", "1", AppRoles.Requester)));
        var status = misconfigured.Authorize(FunctionCatalog.Get("status"), Request());

        Assert.Equal((false, 500), (work.Allowed, work.Status));
        Assert.Contains("App Service Authentication is not on", work.Problem!["detail"]!.GetValue<string>());
        Assert.True(status.Allowed);
    }

    [Fact]
    public void Authorize_AuthenticationOnRolesOff_RecordsTheSignedInCaller_AcceptsAKeyAlone()
    {
        var recordOnly = new RequestAuthorization(AppServiceAuthentication: true, RequireAppRoles: false);

        Assert.Equal("a@b.c (object id 1)", recordOnly.Authorize(FunctionCatalog.Get("request-restore"), Request(Principals.Person("a@b.c", "1"))).Identity);
        Assert.Equal("function-key", recordOnly.Authorize(FunctionCatalog.Get("request-restore"), Request()).Identity);
    }

    [Theory]
    [InlineData("request-backup", AppRoles.Operator, true)] // an operator may back up before restoring
    [InlineData("request-drill", AppRoles.Operator, true)]
    [InlineData("request-restore", AppRoles.Requester, false)]
    [InlineData("request-restore", AppRoles.Operator, true)]
    [InlineData("request-drill", "strata.requester", false)] // role values are exact
    public void Authorize_WithAppRoles_TheRoleEachFunctionNeeds(string function, string role, bool allowed)
    {
        var outcome = RequestAuthorization.WithAppRoles.Authorize(FunctionCatalog.Get(function), Request(Principals.Person("a@b.c", "1", role)));

        Assert.Equal((allowed, allowed ? 200 : 403), (outcome.Allowed, outcome.Status));
    }

    [Theory]
    [InlineData(null, "function-key")]
    [InlineData("function-key", "function-key")]
    [InlineData("servicenow INC42", "function-key (stated: servicenow INC42)")]
    public void RequestedBy_AProvenIdentityFirst_WhatTheBodyStatesBeside(string? stated, string expected) =>
        Assert.Equal(expected, new AuthorizationOutcome("function-key").RequestedBy(stated));

    [Fact]
    public void RequestedBy_StatedNameWithControlCharactersAndTooLong_IsCleanedLikeAClaim()
    {
        var stated = "pipeline\n2026-11-30 forged log line\u001b[31m " + new string('x', 1000);

        var recorded = new AuthorizationOutcome("function-key").RequestedBy(stated);

        Assert.DoesNotContain(recorded, char.IsControl);
        Assert.StartsWith("function-key (stated: pipeline2026-11-30 forged log line[31m xxx", recorded, StringComparison.Ordinal);
        Assert.Equal("function-key (stated: ".Length + 256 + 1, recorded.Length);
    }

    [Fact]
    public void RequestedBy_StatedOnlyControlCharacters_RecordsTheIdentityAlone() =>
        Assert.Equal("function-key", new AuthorizationOutcome("function-key").RequestedBy("\r\n\t"));
}
