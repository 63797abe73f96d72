namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>Tests that measure the process's managed heap: nothing else runs beside them.</summary>
[CollectionDefinition(nameof(MemoryMeasured), DisableParallelization = true)]
public sealed class MemoryMeasured;
