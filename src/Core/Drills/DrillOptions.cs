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

    /// <summary>
    /// The ClusterRole bound in each scratch namespace as it is created (infra/kubernetes/drill.yaml), so the drill
    /// identity holds its namespaced grants there only; null binds nothing. Default <c>strata-drill-namespace</c>.
    /// </summary>
    public string? NamespaceRole { get; init; } = "strata-drill-namespace";

    /// <summary>The ServiceAccount (namespace, name) the scratch namespaces' RoleBinding names. Default <c>strata/strata-drill</c>.</summary>
    public (string Namespace, string Name) NamespaceSubject { get; init; } = ("strata", "strata-drill");

    /// <summary>Restore tuning.</summary>
    public RestoreOptions Restore { get; init; } = new();
}
