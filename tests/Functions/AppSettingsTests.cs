using Strata.Adapters.Kubernetes;
using Strata.Adapters.Telemetry;

namespace Strata.Functions.Tests;

/// <summary>
/// <see cref="AppSettings.All"/> is the list infra/main.bicep is checked against (tests/Infra), so it must hold every
/// setting the code asks for: the readers the handler uses are run with a recording lookup that answers workable values
/// (a real strata.yaml, local folders, a well-formed telemetry connection), so each goes as far as it would in the app and
/// every name it asks for on the way is recorded; each must be listed, and each setting the deployment sets for the
/// handler must be one the code asks for.
/// </summary>
public sealed class AppSettingsTests
{
    // Settings the deployment sets that our code never reads through a lookup: Azure.Identity reads AZURE_CLIENT_ID
    // itself, the Functions host its storage and Service Bus connections.
    private static readonly HashSet<string> ReadByOthers = new(
        [
            AppSettings.AzureClientId,
            .. AppSettings.IdentityConnection(AppSettings.HostStorage, "accountName"),
            .. AppSettings.IdentityConnection(FunctionCatalog.ServiceBusConnection, "fullyQualifiedNamespace"),
        ],
        StringComparer.Ordinal);

    [Fact]
    public async Task All_NamesEverySettingTheHandlersReadersAskFor_AndTheyAskForEverySettingDeployedForThem()
    {
        var asked = await AskedAsync();

        var listed = AppSettings.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(asked, name => Assert.True(listed.Contains(name), $"the code reads {name}, which AppSettings.All does not list"));
        var deployed = AppSettings.All.Where(s => s.Source == AppSettingSource.Deployment).Select(s => s.Name).Where(n => !ReadByOthers.Contains(n));
        Assert.All(deployed, name => Assert.True(asked.Contains(name), $"the deployment sets {name} for the handler, but no reader asked for it (asked: {string.Join(", ", asked.Order())})"));
    }

    /// <summary>Every name the handler's readers ask for, each run as far as it goes with workable answers.</summary>
    private static async Task<HashSet<string>> AskedAsync()
    {
        var home = Directory.CreateTempSubdirectory("strata-settings-").FullName;
        try
        {
            var config = Path.Combine(home, "strata.yaml");
            await File.WriteAllTextAsync(config, """
                clusters:
                  - name: prod
                    server: https://127.0.0.1:6443/
                    token: { env: PROD_TOKEN }
                policies:
                  - name: hourly
                    clusters: ["*"]
                    schedule: "0 * * * *"
                """);
            var answers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [AppSettings.Config] = config,
                [AppSettings.Store] = Path.Combine(home, "artifacts"),
                [AppSettings.History] = Path.Combine(home, "history"),
                [AppSettings.StoreContainer] = "strata",
                [RequestAuthorization.RequireAppRolesSetting] = "false",
                [KubernetesSettings.OutageBudget] = "300",
                [AppSettings.InsightsConnectionString] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingest.example/",
                [AppSettings.InsightsAuthentication] = "Authorization=AAD;ClientId=00000000-0000-0000-0000-000000000001",
            };
            var asked = new HashSet<string>(StringComparer.Ordinal);
            string? Record(string name)
            {
                asked.Add(name);
                return answers.GetValueOrDefault(name);
            }

            var location = StoreLocation.Resolve(null, null, null, Record, home);
            var (_, resources) = await ControlPlaneFactory.CreateAsync(null, location, Record, TimeProvider.System);
            resources.Dispose();
            RequestAuthorization.FromSettings(Record);
            KubernetesSettings.Options(Record); // read by the clusters when they connect, which needs an API server
            Assert.NotNull(AzureMonitorSettings.From(Record));
            return asked;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void All_EachNameOnceAndTheHandlersPortsFromThePlatform()
    {
        Assert.Equal(AppSettings.All.Count, AppSettings.All.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(AppSettingSource.Platform, AppSettings.All.Single(s => s.Name == AppSettings.CustomHandlerPort).Source);
        Assert.Equal(AppSettingSource.Platform, AppSettings.All.Single(s => s.Name == RequestAuthorization.AuthEnabledSetting).Source);
        Assert.Equal(AppSettingSource.Deployment, AppSettings.All.Single(s => s.Name == $"{FunctionCatalog.ServiceBusConnection}__fullyQualifiedNamespace").Source);
    }
}
