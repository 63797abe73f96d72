using Strata.Adapters.Hosting;
using Strata.Adapters.Kubernetes;

namespace Strata.Functions.Tests;

/// <summary>
/// <see cref="AppSettings.All"/> is the list infra/main.bicep is checked against (tests/Infra), so it must hold every
/// setting the code asks for: the readers the handler uses are run with a recording lookup, and each name they ask
/// for must be listed.
/// </summary>
public sealed class AppSettingsTests
{
    [Fact]
    public async Task All_NamesEverySettingTheHandlersReadersAskFor()
    {
        var asked = new HashSet<string>(StringComparer.Ordinal);
        string? Record(string name)
        {
            asked.Add(name);
            return null;
        }

        var home = Directory.CreateTempSubdirectory("strata-settings-").FullName;
        try
        {
            var location = StoreLocation.Resolve(null, null, null, Record, home);
            await Assert.ThrowsAsync<StoreConfigurationException>(() => ControlPlaneFactory.CreateAsync(null, location, Record, TimeProvider.System));
            RequestAuthorization.FromSettings(Record);
            KubernetesSettings.Options(Record);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }

        var listed = AppSettings.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(asked);
        Assert.All(asked, name => Assert.True(listed.Contains(name), $"the code reads {name}, which AppSettings.All does not list"));
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
