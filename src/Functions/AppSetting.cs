namespace Strata.Functions;

/// <summary>An app setting the Functions app reads.</summary>
/// <param name="Name">The setting's name (an environment variable of the handler, or a key the host reads).</param>
/// <param name="Source">Who sets it.</param>
/// <param name="Purpose">What it is for.</param>
public sealed record AppSetting(string Name, AppSettingSource Source, string Purpose);
