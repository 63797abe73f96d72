using Azure.Identity;
using Strata.Adapters.Telemetry;

namespace Strata.Adapters.Tests.Telemetry;

/// <summary>The Functions app's Application Insights settings, read as the Functions host reads them.</summary>
public sealed class AzureMonitorSettingsTests
{
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";

    private static Func<string, string?> Settings(string? connectionString, string? authentication = null) => name => name switch
    {
        AzureMonitorSettings.ConnectionStringVariable => connectionString,
        AzureMonitorSettings.AuthenticationVariable => authentication,
        _ => null,
    };

    [Fact]
    public void From_NoConnectionString_ExportsNothing() => Assert.Null(AzureMonitorSettings.From(Settings(null, "Authorization=AAD")));

    [Fact]
    public void From_ConnectionStringAlone_UsesItsKey()
    {
        var settings = AzureMonitorSettings.From(Settings(ConnectionString))!;

        Assert.Equal((ConnectionString, null), (settings.ConnectionString, settings.Credential));
    }

    [Theory]
    [InlineData("Authorization=AAD")]
    [InlineData("Authorization=AAD;ClientId=11111111-2222-3333-4444-555555555555")]
    [InlineData(" authorization = aad ; clientid = 11111111-2222-3333-4444-555555555555 ")]
    public void From_EntraIdAuthentication_SignsInWithTheManagedIdentity(string authentication) =>
        Assert.IsType<ManagedIdentityCredential>(AzureMonitorSettings.From(Settings(ConnectionString, authentication))!.Credential);

    [Theory]
    [InlineData("Authorization=Key")]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555")]
    [InlineData("Authorization=AAD;ClientSecret=hunter2")]
    public void From_AnotherAuthentication_FailsNamingTheSetting_NotItsValue(string authentication)
    {
        var error = Assert.Throws<FormatException>(() => AzureMonitorSettings.From(Settings(ConnectionString, authentication)));

        Assert.Contains(AzureMonitorSettings.AuthenticationVariable, error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
