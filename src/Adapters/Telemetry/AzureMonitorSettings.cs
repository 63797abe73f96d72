using Azure.Core;
using Azure.Identity;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// Where the Functions app sends its metrics and traces: the Application Insights resource of
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, signed in with the app's managed identity when
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says <c>Authorization=AAD</c> (<c>;ClientId=…</c> for a user-assigned
/// identity) — the settings the Functions host itself reads, which the Azure Monitor exporter does not: it takes a credential.
/// </summary>
/// <param name="ConnectionString">The Application Insights connection string.</param>
/// <param name="Credential">The managed identity to sign in with (Entra ID ingestion, local authentication off); null for the key in the connection string.</param>
public sealed record AzureMonitorSettings(string ConnectionString, TokenCredential? Credential)
{
    /// <summary>The connection string setting.</summary>
    public const string ConnectionStringVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The authentication setting.</summary>
    public const string AuthenticationVariable = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The settings <paramref name="variable"/> holds; null when no connection string is set (nothing is exported).</summary>
    /// <exception cref="FormatException">The authentication setting is not one the exporter can use (its value is not repeated: it can name an identity).</exception>
    public static AzureMonitorSettings? From(Func<string, string?> variable)
    {
        if (variable(ConnectionStringVariable) is not { Length: > 0 } connectionString)
        {
            return null;
        }

        if (variable(AuthenticationVariable) is not { Length: > 0 } authentication)
        {
            return new AzureMonitorSettings(connectionString, null);
        }

        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.OrdinalIgnoreCase);
        if (!string.Equals(parts.GetValueOrDefault("Authorization"), "AAD", StringComparison.OrdinalIgnoreCase)
            || parts.Keys.Any(k => !k.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !k.Equals("ClientId", StringComparison.OrdinalIgnoreCase)))
        {
            throw new FormatException($"{AuthenticationVariable} must be 'Authorization=AAD' (system-assigned identity) or 'Authorization=AAD;ClientId=CLIENT-ID' (user-assigned)");
        }

        var identity = parts.GetValueOrDefault("ClientId") is { Length: > 0 } clientId
            ? ManagedIdentityId.FromUserAssignedClientId(clientId)
            : ManagedIdentityId.SystemAssigned;
        return new AzureMonitorSettings(connectionString, new ManagedIdentityCredential(identity));
    }
}
