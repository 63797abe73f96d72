namespace Strata.Functions;

/// <summary>Who gives an app setting its value.</summary>
public enum AppSettingSource
{
    /// <summary>The deployment (infra/main.bicep) sets it; the app does not work without it.</summary>
    Deployment,

    /// <summary>The platform sets it (the Functions host, App Service); a deployment must not.</summary>
    Platform,

    /// <summary>Optional: the default suits the Functions app, a deployment may set it.</summary>
    Optional,
}
