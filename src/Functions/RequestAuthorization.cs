namespace Strata.Functions;

/// <summary>
/// Who may run the HTTP functions. The Functions host checks the function key (<c>authLevel: function</c> in every
/// function.json but <c>health</c>) before the handler sees a request. With App Service Authentication on, the functions
/// that start work also require an Entra ID app role (<see cref="FunctionDefinition.Role"/>), read from the
/// <see cref="ClientPrincipal.Header"/> App Service sets: no or an unreadable principal is 401, one without the role 403.
/// </summary>
/// <param name="AppServiceAuthentication">
/// App Service Authentication is on (<c>WEBSITE_AUTH_ENABLED=True</c>, which App Service sets): the principal header
/// comes from App Service (a client's own is stripped), so it can be trusted.
/// </param>
/// <param name="RequireAppRoles">The functions that start work require their app role (<c>STRATA_REQUIRE_APP_ROLES</c>; default: when App Service Authentication is on).</param>
public sealed record RequestAuthorization(bool AppServiceAuthentication, bool RequireAppRoles)
{
    /// <summary>The app setting App Service sets to <c>True</c> when App Service Authentication is on.</summary>
    public const string AuthEnabledSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>The app setting that requires app roles (<c>true</c>) or turns the requirement off (<c>false</c>).</summary>
    public const string RequireAppRolesSetting = "STRATA_REQUIRE_APP_ROLES";

    /// <summary>How the run records a caller who showed a function key only.</summary>
    public const string FunctionKey = "function-key";

    /// <summary>Function keys only: App Service Authentication off.</summary>
    public static RequestAuthorization KeysOnly { get; } = new(false, false);

    /// <summary>Function keys and app roles: App Service Authentication on.</summary>
    public static RequestAuthorization WithAppRoles { get; } = new(true, true);

    /// <summary>The authorization the app settings ask for; a setting that is not true or false stops the handler at start-up.</summary>
    public static RequestAuthorization FromSettings(Func<string, string?> setting)
    {
        var authentication = Flag(setting, AuthEnabledSetting) ?? false;
        return new RequestAuthorization(authentication, Flag(setting, RequireAppRolesSetting) ?? authentication);
    }

    /// <summary>Whether the request to <paramref name="function"/> may run, and who asked.</summary>
    public AuthorizationOutcome Authorize(FunctionDefinition function, HttpInvocation request)
    {
        var key = request.FunctionKeyName is { Length: > 0 } name ? $"{FunctionKey}:{name}" : FunctionKey;
        if (!AppServiceAuthentication)
        {
            // The header could come from anyone: App Service strips a client's only when its authentication is on.
            return RequireAppRoles && function.Role is { } role
                ? Refuse(500, "app-roles-unavailable", "App roles cannot be checked",
                    $"{RequireAppRolesSetting} requires app roles, but App Service Authentication is not on for this app ({AuthEnabledSetting}), " +
                    $"so no {ClientPrincipal.Header} header can be trusted: turn it on, or set {RequireAppRolesSetting}=false to accept function keys alone",
                    role)
                : new AuthorizationOutcome(key);
        }

        ClientPrincipal? principal = null;
        string? error = null;
        if (request.Headers.TryGetValue(ClientPrincipal.Header, out var header) && header.Length > 0)
        {
            principal = ClientPrincipal.Parse(header, out error);
        }

        if (!RequireAppRoles || function.Role is not { } required)
        {
            return new AuthorizationOutcome(principal?.Identity ?? key);
        }

        if (principal is null)
        {
            var why = error is null ? $"no {ClientPrincipal.Header} header: the request was not signed in" : $"the {ClientPrincipal.Header} header {error}";
            return Refuse(401, "unauthenticated", "Sign-in required",
                $"{function.Name} needs an Entra ID caller with the app role {required} ({why}); send a bearer token for this app's registration", required);
        }

        return AppRoles.Grant(principal.Roles, required)
            ? new AuthorizationOutcome(principal.Identity)
            : Refuse(403, "missing-role", "App role required",
                $"{function.Name} needs the app role {required}; {principal.Identity} has "
                + (principal.Roles.Count == 0 ? "no app role" : string.Join(", ", principal.Roles.Order(StringComparer.Ordinal))),
                required);
    }

    private static AuthorizationOutcome Refuse(int status, string type, string title, string detail, string role) =>
        new(null, status, Problems.Of(type, title, status, detail, role));

    private static bool? Flag(Func<string, string?> setting, string name) => setting(name) switch
    {
        null or "" => null,
        var text when bool.TryParse(text.Trim(), out var value) => value,
        var text => throw new InvalidOperationException($"app setting {name} is '{text}', not true or false"),
    };
}
