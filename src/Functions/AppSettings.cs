using Strata.Adapters.Kubernetes;

namespace Strata.Functions;

/// <summary>
/// Every app setting the Functions app reads — the handler's own and the Functions host's — in one list, so the
/// deployment (infra/main.bicep) and its test cannot drift from the code. Identity-based throughout: the settings
/// hold addresses and the managed identity's client id, never a key or a connection string with a secret.
/// </summary>
public static class AppSettings
{
    /// <summary>The port the host tells the handler to listen on.</summary>
    public const string CustomHandlerPort = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The older name of <see cref="CustomHandlerPort"/>, still set by the host.</summary>
    public const string HttpWorkerPort = "FUNCTIONS_HTTPWORKER_PORT";

    /// <summary>The local folder used when no store is configured (default: the temp folder's <c>strata</c>).</summary>
    public const string Home = "STRATA_HOME";

    /// <summary>The artifact store (<see cref="StoreLocation"/>): <c>https://ACCOUNT.blob.core.windows.net/CONTAINER</c>.</summary>
    public const string Store = "STRATA_STORE";

    /// <summary>The container, when <see cref="Store"/> names none.</summary>
    public const string StoreContainer = "STRATA_STORE_CONTAINER";

    /// <summary>The checksum the artifact store's uploads carry (<see cref="StoreLocation.ChecksumSetting"/>): <c>md5</c> (default) or <c>crc64</c>.</summary>
    public const string BlobChecksum = StoreLocation.ChecksumSetting;

    /// <summary>The run history (<see cref="StoreLocation"/>): <c>https://ACCOUNT.table.core.windows.net[/PREFIX]</c>.</summary>
    public const string History = "STRATA_HISTORY";

    /// <summary>Where strata.yaml is: a blob URL read with the app's identity (<see cref="ControlPlaneFactory.ConfigSetting"/>).</summary>
    public const string Config = ControlPlaneFactory.ConfigSetting;

    /// <summary>The user-assigned identity <c>DefaultAzureCredential</c> signs in as (Blob, Table, Key Vault).</summary>
    public const string AzureClientId = "AZURE_CLIENT_ID";

    /// <summary>The host's storage account, by identity (<c>AzureWebJobsStorage__accountName</c> and friends).</summary>
    public const string HostStorage = "AzureWebJobsStorage";

    /// <summary>Application Insights' ingestion endpoint and component id (not a credential).</summary>
    public const string InsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Entra ID authentication of the host's telemetry: <c>ClientId=…;Authorization=AAD</c>.</summary>
    public const string InsightsAuthentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The settings of an identity-based connection named <paramref name="connection"/>.</summary>
    public static IReadOnlyList<string> IdentityConnection(string connection, string address) =>
        [$"{connection}__{address}", $"{connection}__credential", $"{connection}__clientId"];

    /// <summary>Every setting, with who sets it and why.</summary>
    public static IReadOnlyList<AppSetting> All { get; } =
    [
        new(Store, AppSettingSource.Deployment, "artifact container URL"),
        new(History, AppSettingSource.Deployment, "run history Table endpoint and prefix"),
        new(Config, AppSettingSource.Deployment, "blob URL of strata.yaml"),
        new(RequestAuthorization.RequireAppRolesSetting, AppSettingSource.Deployment, "app roles required for the HTTP functions that start work"),
        new(KubernetesSettings.OutageBudget, AppSettingSource.Deployment, "seconds an API server may be unreachable mid-run"),
        new(AzureClientId, AppSettingSource.Deployment, "the managed identity DefaultAzureCredential uses"),
        .. IdentityConnection(HostStorage, "accountName").Select(name => new AppSetting(name, AppSettingSource.Deployment, "the host's storage, by identity")),
        .. IdentityConnection(FunctionCatalog.ServiceBusConnection, "fullyQualifiedNamespace")
            .Select(name => new AppSetting(name, AppSettingSource.Deployment, "the Service Bus triggers' and outputs' connection, by identity")),
        new(InsightsConnectionString, AppSettingSource.Deployment, "where the host sends telemetry"),
        new(InsightsAuthentication, AppSettingSource.Deployment, "telemetry sent with the managed identity (local auth off)"),
        new(StoreContainer, AppSettingSource.Optional, "the container when STRATA_STORE names none"),
        new(Home, AppSettingSource.Optional, "local folder when no store is configured"),
        new(BlobChecksum, AppSettingSource.Optional, "the checksum artifact uploads carry: md5 (default) or crc64"),
        new(CustomHandlerPort, AppSettingSource.Platform, "set by the Functions host"),
        new(HttpWorkerPort, AppSettingSource.Platform, "set by the Functions host"),
        new(RequestAuthorization.AuthEnabledSetting, AppSettingSource.Platform, "set by App Service when authentication is on"),
    ];
}
