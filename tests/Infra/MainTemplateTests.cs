using System.Reflection;
using System.Text.Json.Nodes;
using Strata.Adapters.Hosting;
using Strata.Core.ControlPlane;
using Strata.Functions;

namespace Strata.Infra.Tests;

/// <summary>
/// The compiled ARM template of infra/main.bicep says what issue 17 promises: write-once geo-redundant artifacts
/// with no shared keys, the pipeline's queues as the code names them, Key Vault that cannot be purged, and a
/// Flex Consumption custom handler whose settings are the ones the code reads, all identity-based.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class MainTemplateTests(CompiledInfra compiled)
{
    private ArmTemplate Main => compiled.Main;

    [Fact]
    public void ArtifactAccount_GeoRedundantWithSharedKeyOffTls12AndNoPublicBlobs()
    {
        var account = Main.Module("artifacts").Resource("account");

        Assert.Equal("Standard_RAGZRS", (string?)account["sku"]!["name"]);
        var properties = account["properties"]!;
        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
        Assert.Equal("[parameters('publicNetworkAccess')]", (string?)properties["publicNetworkAccess"]);
        Assert.Equal("[parameters('publicNetworkAccess')]", Main.ModuleArgument("artifacts", "publicNetworkAccess"));
        Assert.Equal("Enabled", (string?)Main.Parameters["publicNetworkAccess"]!["defaultValue"]);
    }

    [Fact]
    public void ArtifactAccount_VersionsBlobsAndSoftDeletesBlobsAndContainers()
    {
        var blobs = Main.Module("artifacts").Resource("blobs")["properties"]!;

        Assert.True((bool)blobs["isVersioningEnabled"]!);
        Assert.True((bool)blobs["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)blobs["containerDeleteRetentionPolicy"]!["enabled"]!);
        Assert.Equal("[parameters('softDeleteDays')]", Main.ModuleArgument("artifacts", "softDeleteDays"));
    }

    [Fact]
    public void ArtifactContainer_VersionLevelWormWithRetentionFromTheParameter()
    {
        var artifacts = Main.Module("artifacts");

        Assert.True((bool)artifacts.Resource("artifacts")["properties"]!["immutableStorageWithVersioning"]!["enabled"]!);
        Assert.Equal("None", (string?)artifacts.Resource("artifacts")["properties"]!["publicAccess"]);
        var retention = artifacts.Resource("retention");
        Assert.Equal("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies", (string?)retention["type"]);
        Assert.Equal("[parameters('retentionDays')]", (string?)retention["properties"]!["immutabilityPeriodSinceCreationInDays"]);
        Assert.Equal("[parameters('artifactRetentionDays')]", Main.ModuleArgument("artifacts", "retentionDays"));

        // Left alone once locked (ARM creates or updates only unlocked policies); managed until then.
        Assert.Equal("[not(parameters('retentionLocked'))]", (string?)retention["condition"]);
        Assert.Equal("[parameters('artifactRetentionLocked')]", Main.ModuleArgument("artifacts", "retentionLocked"));
        Assert.False((bool)Main.Parameters["artifactRetentionLocked"]!["defaultValue"]!);

        // Required, and within what Azure accepts for a retention period.
        var parameter = Main.Parameters["artifactRetentionDays"]!;
        Assert.Null(parameter["defaultValue"]);
        Assert.Equal(1, (int)parameter["minValue"]!);
        Assert.Equal(146000, (int)parameter["maxValue"]!);
    }

    [Fact]
    public void HistoryTables_AreTheTablesTheAdaptersUse()
    {
        Assert.Equal(StoreLocation.DefaultTablePrefix, (string?)Main.Parameters["tablePrefix"]!["defaultValue"]);
        var created = Main.Variables["historyTables"]!.AsArray().Select(t => StoreLocation.DefaultTablePrefix + (string?)t).ToHashSet();

        // The run history names its tables in Location; the control state's is {prefix}Control.
        var history = new Adapters.Azure.Table.TableRunHistory(
            new Azure.Data.Tables.TableServiceClient(new Uri("https://account.table.core.windows.net"), new Azure.Data.Tables.TableSharedKeyCredential("account", Convert.ToBase64String(new byte[32]))));
        var used = System.Text.RegularExpressions.Regex.Matches(history.Location, $@"\b{StoreLocation.DefaultTablePrefix}\w+").Select(m => m.Value)
            .Append(StoreLocation.DefaultTablePrefix + "Control").ToHashSet();
        Assert.Equal(used.Order(), created.Order());
    }

    [Fact]
    public void RuntimeAccount_IsItsOwnAccountWithSharedKeyOffAndTheDeploymentContainer()
    {
        var runtime = Main.Module("runtime");
        var account = runtime.Resource("account");

        Assert.False((bool)account["properties"]!["allowSharedKeyAccess"]!);
        Assert.Equal("TLS1_2", (string?)account["properties"]!["minimumTlsVersion"]);
        Assert.NotEqual(Main.ModuleArgument("artifacts", "accountName"), Main.ModuleArgument("runtime", "accountName"));
        Assert.Equal("Microsoft.Storage/storageAccounts/blobServices/containers", (string?)runtime.Resource("deployment")["type"]);
    }

    [Fact]
    public void Queues_AreTheOnesTheFunctionsUseWithDuplicateDetectionAndDeadLetteringOnExpiry()
    {
        var declared = Main.Variables["queues"]!.AsArray().Select(q => q!.AsObject()).ToList();
        var named = typeof(Queues).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).ToHashSet();
        var used = FunctionCatalog.All.SelectMany(f => f.Trigger == TriggerKind.Queue ? f.Sends.Append(f.Source) : f.Sends).ToHashSet();

        Assert.Equal(named.Order(), declared.Select(q => (string)q["name"]!).Order());
        Assert.Subset(named, used);
        foreach (var queue in declared)
        {
            var name = (string)queue["name"]!;
            var consumed = FunctionCatalog.All.Any(f => f.Trigger == TriggerKind.Queue && f.Source == name);
            Assert.True(consumed == (bool)queue["consumed"]!, $"{name}: consumed is {queue["consumed"]}, but FunctionCatalog {(consumed ? "has" : "has no")} function reading it");
            Assert.InRange((int)queue["maxDeliveryCount"]!, 1, 10);
        }

        var properties = Main.Module("serviceBus").Resource("queueResources")["properties"]!;
        Assert.True((bool)properties["requiresDuplicateDetection"]!);
        Assert.Equal("[parameters('queues')[copyIndex()].timeToLive]", (string?)properties["duplicateDetectionHistoryTimeWindow"]);
        Assert.True((bool)properties["deadLetteringOnMessageExpiration"]!);
        Assert.Equal("[parameters('queues')[copyIndex()].maxDeliveryCount]", (string?)properties["maxDeliveryCount"]);
        Assert.Equal("[variables('queues')]", Main.ModuleArgument("serviceBus", "queues"));
    }

    [Fact]
    public void Queues_LockIsTheLongestAndTheHostRenewsItForAWholeFunctionTimeout()
    {
        var lockDuration = System.Xml.XmlConvert.ToTimeSpan((string)Main.Module("serviceBus").Resource("queueResources")["properties"]!["lockDuration"]!);
        var host = FunctionCatalog.HostJson();
        var functionTimeout = TimeSpan.Parse((string)host["functionTimeout"]!, System.Globalization.CultureInfo.InvariantCulture);
        var renewal = TimeSpan.Parse((string)host["extensions"]!["serviceBus"]!["maxAutoLockRenewalDuration"]!, System.Globalization.CultureInfo.InvariantCulture);

        // Five minutes is Service Bus's maximum; the host must renew it for as long as a function may run.
        Assert.Equal(TimeSpan.FromMinutes(5), lockDuration);
        Assert.True(renewal >= functionTimeout, $"maxAutoLockRenewalDuration {renewal} is shorter than functionTimeout {functionTimeout}");
    }

    [Fact]
    public void ServiceBus_LocalAuthenticationOff()
    {
        var properties = Main.Module("serviceBus").Resource("namespace")["properties"]!;

        Assert.True((bool)properties["disableLocalAuth"]!);
        Assert.Equal("1.2", (string?)properties["minimumTlsVersion"]);
    }

    [Fact]
    public void KeyVault_RbacModeSoftDeleteAndPurgeProtection()
    {
        var properties = Main.Module("keyVault").Resource("vault")["properties"]!;

        Assert.True((bool)properties["enableRbacAuthorization"]!);
        Assert.True((bool)properties["enablePurgeProtection"]!);
        Assert.True((bool)properties["enableSoftDelete"]!);
        Assert.Null(properties["accessPolicies"]);
    }

    [Fact]
    public void Monitoring_WorkspaceBasedInsightsWithLocalAuthOff()
    {
        var monitoring = Main.Module("monitoring");
        var insights = monitoring.Resource("insights")["properties"]!;

        Assert.True((bool)insights["DisableLocalAuth"]!);
        Assert.Equal("[resourceId('Microsoft.OperationalInsights/workspaces', format('{0}-logs', parameters('name')))]", (string?)insights["WorkspaceResourceId"]);
    }

    [Fact]
    public void FunctionApp_FlexConsumptionCustomHandlerOnLinuxWithTheIdentity()
    {
        var module = Main.Module("app");
        var plan = module.Resource("plan");
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);

        var app = module.Resource("app");
        Assert.Equal("functionapp,linux", (string?)app["kind"]);
        Assert.Equal("UserAssigned", (string?)app["identity"]!["type"]);
        var config = app["properties"]!["functionAppConfig"]!;
        Assert.Equal("custom", (string?)config["runtime"]!["name"]);
        Assert.Equal("1.0", (string?)config["runtime"]!["version"]);
        var storage = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
        Assert.Equal("[parameters('instanceMemoryMB')]", (string?)config["scaleAndConcurrency"]!["instanceMemoryMB"]);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)config["scaleAndConcurrency"]!["maximumInstanceCount"]);
        Assert.True((bool)app["properties"]!["httpsOnly"]!);

        // Site properties Flex Consumption rejects or replaced with functionAppConfig.
        string[] notOnFlex = ["ftpsState", "alwaysOn", "linuxFxVersion", "windowsFxVersion", "use32BitWorkerProcess", "functionAppScaleLimit", "preWarmedInstanceCount", "netFrameworkVersion", "javaVersion", "powerShellVersion"];
        var siteConfig = app["properties"]!["siteConfig"]!.AsObject();
        Assert.All(notOnFlex, name => Assert.False(siteConfig.ContainsKey(name) || app["properties"]!.AsObject().ContainsKey(name), $"{name} is not valid on Flex Consumption"));
    }

    [Fact]
    public void AppSettings_EverySettingTheAppReadsIsSetAndNoOther()
    {
        var names = AppSettingNames();

        foreach (var setting in AppSettings.All)
        {
            switch (setting.Source)
            {
                case AppSettingSource.Deployment:
                    Assert.True(names.Contains(setting.Name), $"{setting.Name} ({setting.Purpose}) is not in the app settings");
                    break;
                case AppSettingSource.Platform:
                    Assert.False(names.Contains(setting.Name), $"{setting.Name} is set by the platform; the deployment must not set it");
                    break;
            }
        }

        Assert.All(names, name => Assert.Contains(name, AppSettings.All.Select(s => s.Name)));

        // Flex Consumption takes the runtime from functionAppConfig and has no content share.
        string[] notOnFlex = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "AzureWebJobsStorage"];
        Assert.All(notOnFlex, name => Assert.DoesNotContain(name, names));
    }

    [Fact]
    public void AppSettings_ConnectionsAreIdentityBased()
    {
        var host = Main.Module("app").Variables["hostSettings"]!.AsObject();

        foreach (var connection in new[] { AppSettings.HostStorage, FunctionCatalog.ServiceBusConnection })
        {
            Assert.Equal("managedidentity", (string?)host[$"{connection}__credential"]);
            Assert.Equal("[parameters('identityClientId')]", (string?)host[$"{connection}__clientId"]);
        }

        Assert.Equal("[parameters('identityClientId')]", (string?)host[AppSettings.AzureClientId]);
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", (string?)host[AppSettings.InsightsAuthentication]);
        Assert.Equal("[reference('identity').clientId]", Main.ModuleArgument("app", "identityClientId"));
    }

    [Fact]
    public void Template_NoKeyOrConnectionSecretAnywhere()
    {
        var text = Main.Root.ToJsonString();

        foreach (var secret in new[] { "AccountKey=", "SharedAccessKey", "listKeys(", "listConnectionStrings(", "InstrumentationKey=", "clientSecret" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Resources_UseGenerallyAvailableApiVersions()
    {
        var preview = Main.All()
            .SelectMany(t => t.Template.Resources.Select(r => (t.Path, Name: r.Key, Version: (string?)r.Value!["apiVersion"])))
            .Where(r => r.Version?.Contains("preview", StringComparison.OrdinalIgnoreCase) == true)
            .Select(r => $"{r.Path}/{r.Name}@{r.Version}");

        Assert.Empty(preview);
    }

    [Fact]
    public void Outputs_TheAppsUrlAndTheCliSettings()
    {
        string[] expected = ["appUrl", "STRATA_STORE", "STRATA_HISTORY", "STRATA_CONFIG", "STRATA_SERVICE_BUS", "identityClientId", "identityPrincipalId"];
        Assert.Subset(Main.Outputs.Select(o => o.Key).ToHashSet(), expected.ToHashSet());

        Assert.Equal("[format('https://{0}', reference('app').defaultHostName)]", (string?)Main.Module("app").Outputs["url"]!["value"]);
        var artifacts = Main.Module("artifacts").Outputs;
        Assert.Equal("[format('{0}{1}', reference('account').primaryEndpoints.blob, parameters('artifactContainer'))]", (string?)artifacts["store"]!["value"]);
        Assert.Equal("[format('{0}{1}', reference('account').primaryEndpoints.table, parameters('tablePrefix'))]", (string?)artifacts["history"]!["value"]);
        Assert.Equal("[format('{0}{1}/strata.yaml', reference('account').primaryEndpoints.blob, parameters('configContainer'))]", (string?)artifacts["config"]!["value"]);

        // The app reads the same values the CLI user exports.
        var strata = JsonNode.Parse(Main.ModuleArgument("app", "strataSettings"))!.AsObject();
        Assert.Equal((string?)Main.Outputs["STRATA_STORE"]!["value"], (string?)strata[AppSettings.Store]);
        Assert.Equal((string?)Main.Outputs["STRATA_HISTORY"]!["value"], (string?)strata[AppSettings.History]);
        Assert.Equal((string?)Main.Outputs["STRATA_CONFIG"]!["value"], (string?)strata[AppSettings.Config]);
    }

    [Fact]
    public void Outputs_ParseAsTheCliAndTheAppReadThem()
    {
        // Endpoints as Azure reports them for a deployment named strataprod; the template's outputs computed from them.
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reference('account').primaryEndpoints.blob"] = "https://strataprodart1a2b3c4d.blob.core.windows.net/",
            ["reference('account').primaryEndpoints.table"] = "https://strataprodart1a2b3c4d.table.core.windows.net/",
            ["reference('namespace').serviceBusEndpoint"] = "https://strataprod-bus-1a2b3c4d.servicebus.windows.net:443/",
            ["parameters('artifactContainer')"] = Main.ModuleArgument("artifacts", "artifactContainer"),
            ["parameters('configContainer')"] = Main.ModuleArgument("artifacts", "configContainer"),
            ["parameters('tablePrefix')"] = (string)Main.Parameters["tablePrefix"]!["defaultValue"]!,
        };
        string Output(string module, string name) => ArmExpression.Evaluate((string)Main.Module(module).Outputs[name]!["value"]!, path => values[path]);

        var store = Output("artifacts", "store");
        var history = Output("artifacts", "history");
        var location = StoreLocation.Resolve(store, null, history, _ => null, Path.GetTempPath());
        Assert.Equal("https://strataprodart1a2b3c4d.blob.core.windows.net/backups", location.ArtifactsWhere.TrimEnd('/'));
        Assert.StartsWith("https://strataprodart1a2b3c4d.table.core.windows.net", location.HistoryWhere, StringComparison.Ordinal);
        Assert.Contains("StrataBackups", location.HistoryWhere, StringComparison.Ordinal);

        // STRATA_CONFIG: a blob URL ControlPlaneFactory reads (https://ACCOUNT.blob…/CONTAINER/PATH, no SAS).
        var config = new Uri(Output("artifacts", "config"));
        Assert.Equal(["config", "strata.yaml"], config.AbsolutePath.Trim('/').Split('/'));
        Assert.Equal(Uri.UriSchemeHttps, config.Scheme);

        Assert.Equal("strataprod-bus-1a2b3c4d.servicebus.windows.net",
            Adapters.Azure.ServiceBus.ServiceBusNamespace.Parse(Output("serviceBus", "fullyQualifiedNamespace"), "STRATA_SERVICE_BUS"));
    }

    private HashSet<string> AppSettingNames()
    {
        var module = Main.Module("app");
        var appSettings = module.Resource("app")["properties"]!["siteConfig"]!["copy"]!.AsArray().Single(c => (string?)c!["name"] == "appSettings")!;
        Assert.Equal("[length(items(union(variables('hostSettings'), parameters('strataSettings'))))]", (string?)appSettings["count"]);
        var strata = JsonNode.Parse(Main.ModuleArgument("app", "strataSettings"))!.AsObject();
        return module.Variables["hostSettings"]!.AsObject().Select(s => s.Key).Concat(strata.Select(s => s.Key)).ToHashSet(StringComparer.Ordinal);
    }
}
