namespace Strata.Core.Databases.CloudNativePg;

/// <summary>The method a Backup is asked for with, and its plugin; or why none can be.</summary>
/// <param name="Method">The method; null with <paramref name="Problem"/>.</param>
/// <param name="Plugin">The plugin's name (<c>spec.pluginConfiguration.name</c>) for <see cref="CloudNativePgMethod.Plugin"/>.</param>
/// <param name="Problem">Why no Backup can be asked for; null when one can.</param>
public sealed record CloudNativePgMethodChoice(CloudNativePgMethod? Method, string? Plugin, string? Problem);
