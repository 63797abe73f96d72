namespace Strata.Adapters.Tests.Telemetry;

/// <summary>Tests that listen to meters process-wide run alone: another test's meters would come and go under them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterCollection
{
    public const string Name = "meters";
}
