namespace Strata.Cli.Tests.Telemetry;

/// <summary>
/// The telemetry tests share one <see cref="ScrapedFleet"/> and run one after another: a meter provider hears every meter
/// named "Strata" in the process and an activity listener every span, so two fleets at once would hear each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<ScrapedFleet>
{
    public const string Name = "telemetry";
}
