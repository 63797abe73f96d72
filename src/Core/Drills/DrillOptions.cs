using Strata.Core.Restore;

namespace Strata.Core.Drills;

/// <summary>Tuning of <see cref="DrillRun"/>.</summary>
public sealed record DrillOptions
{
    /// <summary>How often the assertions are looked at while waiting; also the RTO's resolution. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long clean-up waits for deleted scratch namespaces to be gone (their contents are deleted first). Default 60 s.</summary>
    public TimeSpan CleanupWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Objects looked at at once while waiting. Default 8.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>Restore tuning.</summary>
    public RestoreOptions Restore { get; init; } = new();
}
