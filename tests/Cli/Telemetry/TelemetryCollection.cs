namespace Strata.Cli.Tests.Telemetry;

/// <summary>
/// The telemetry tests share one <see cref="ScrapedFleet"/> and run one after another: its activity listener hears every
/// Strata span in the process, so two fleets at once would hear each other's (metrics do not mix: each endpoint's provider
/// subscribes to its own meter).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<ScrapedFleet>
{
    public const string Name = "telemetry";
}
