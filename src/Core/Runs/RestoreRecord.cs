using System.Text.Json.Serialization;
using Strata.Core.Results;

namespace Strata.Core.Runs;

/// <summary>The run-history record of one restore: what was asked for, and what happened to each object.</summary>
public sealed record RestoreRecord
{
    /// <summary>Restore id; same shape as a backup id (<see cref="BackupId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The backup restored from.</summary>
    public required string BackupId { get; init; }

    /// <summary>The cluster the backup came from.</summary>
    public string? SourceCluster { get; init; }

    /// <summary>The cluster restored into (the kubeconfig context or configured name).</summary>
    public required string TargetCluster { get; init; }

    /// <summary>Where the run stands.</summary>
    public required RestoreStatus Status { get; init; }

    /// <summary>Whether the server was asked to validate only (<c>dryRun=All</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended, if it has.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>What was asked for.</summary>
    public RestoreOptionsSummary? Options { get; init; }

    /// <summary>Objects per outcome.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();

    /// <summary>What happened to each object in scope.</summary>
    public IReadOnlyList<RestoreItemResult> Items { get; init; } = [];

    /// <summary>Problems that concern no single object (a resource served in another version, a CRD that never became Established).</summary>
    public IReadOnlyList<Problem> Problems { get; init; } = [];

    /// <summary>Why the run was refused or failed as a whole.</summary>
    public string? Error { get; init; }
}

/// <summary>What happened to one object.</summary>
public enum RestoreItemOutcome
{
    /// <summary>Created in the target (with a dry run: would be created).</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>It existed; the backed-up version was applied over it (policy <c>update</c>).</summary>
    [JsonStringEnumMemberName("updated")]
    Updated,

    /// <summary>It existed and was left as it is (policy <c>skip</c>).</summary>
    [JsonStringEnumMemberName("skippedExisting")]
    SkippedExisting,

    /// <summary>The target does not serve its resource type (a missing CRD, a removed API version).</summary>
    [JsonStringEnumMemberName("skippedUnsupported")]
    SkippedUnsupported,

    /// <summary>A controller recreates it from an object that is restored (a Deployment's ReplicaSets and Pods, Endpoints, …).</summary>
    [JsonStringEnumMemberName("skippedRecreated")]
    SkippedRecreated,

    /// <summary>The server refused it; the message is the server's.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>The result for one object, located in the target.</summary>
/// <param name="Resource">Group-qualified resource in the backup, e.g. <c>deployments.apps</c>.</param>
/// <param name="Namespace">Namespace in the target (after mapping), for namespaced objects.</param>
/// <param name="Name">Object name in the target.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">Why, where it is not obvious: the server's message, the controller that recreates it.</param>
public sealed record RestoreItemResult(string Resource, string? Namespace, string Name, RestoreItemOutcome Outcome, string? Message = null);

/// <summary>A restore's request as recorded.</summary>
public sealed record RestoreOptionsSummary(
    IReadOnlyList<string> IncludeNamespaces,
    IReadOnlyList<string> ExcludeNamespaces,
    string? Selector,
    IReadOnlyList<string> IncludeResources,
    IReadOnlyList<string> ExcludeResources,
    IReadOnlyDictionary<string, string> NamespaceMappings,
    string ExistingResourcePolicy,
    IReadOnlyList<string> Priorities,
    bool AllowIncomplete);
