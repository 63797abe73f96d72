using Strata.Core.Runs;

namespace Strata.Core.Messages;

/// <summary>The payload of a message; each type says what is wrong with it, or null.</summary>
public abstract record MessagePayload
{
    /// <summary>The first thing wrong with the payload, naming the field; null when it is valid.</summary>
    public abstract string? Validate();

    internal static string? Name(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? $"payload.{field} is required"
        : value.Length > 63 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? $"payload.{field} '{value}' is not a name (lowercase letters, digits, '-')"
        : null;

    internal static string? Id(string field, string? value, bool required = true) =>
        value is null ? (required ? $"payload.{field} is required" : null)
        : BackupId.IsValid(value) ? null
        : $"payload.{field} '{value}' is not a run id";
}

/// <summary>
/// Take a backup: of a configured policy on one of its clusters (scheduled or asked for, e.g.
/// by a CI pipeline before an upgrade), or ad hoc with the policy's scope left to the default.
/// </summary>
/// <param name="Cluster">The cluster, by its name in strata.yaml.</param>
/// <param name="Policy">The policy whose scope, retention and write-once days apply; <c>adhoc</c> for the default scope.</param>
/// <param name="ScheduledFor">For scheduled backups: the occurrence this backup is for (the id derives from it).</param>
/// <param name="Reason">Why, for people (e.g. "before upgrade to 1.31").</param>
/// <param name="RequestedBy">Who or what asked.</param>
public sealed record BackupRequested(string Cluster, string Policy, DateTimeOffset? ScheduledFor = null, string? Reason = null, string? RequestedBy = null)
    : MessagePayload
{
    /// <inheritdoc />
    public override string? Validate() => Name("cluster", Cluster) ?? Name("policy", Policy);
}

/// <summary>A backup ended (successfully or not). Published for other systems; Strata itself does not consume it.</summary>
/// <param name="BackupId">The backup.</param>
/// <param name="Cluster">Its cluster.</param>
/// <param name="Policy">Its policy.</param>
/// <param name="Status">How it ended.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="ObjectCount">Objects captured.</param>
/// <param name="Location">Key prefix of its artifacts.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record BackupCompleted(
    string BackupId, string Cluster, string Policy, BackupStatus Status, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt,
    long ObjectCount, string Location, string? Error = null) : MessagePayload
{
    /// <inheritdoc />
    public override string? Validate() => Id("backupId", BackupId) ?? Name("cluster", Cluster) ?? Name("policy", Policy);
}

/// <summary>What a verification does.</summary>
public enum VerificationKind
{
    /// <summary>Read every artifact back and check sizes and hashes against the manifest.</summary>
    Integrity,

    /// <summary>Restore into a scratch target and measure the recovery time.</summary>
    Drill,
}

/// <summary>Verify a backup: read it back from the store, or drill a restore of it.</summary>
/// <param name="BackupId">The backup.</param>
/// <param name="Cluster">Its cluster.</param>
/// <param name="Policy">Its policy.</param>
/// <param name="Kind">Integrity check or restore drill.</param>
/// <param name="ScheduledFor">For drills the drill schedule asked for: the occurrence (the drill id derives from it, as a scheduled backup's does).</param>
/// <param name="RequestedBy">Who or what asked (recorded on the drill); null: the drill schedule, or the request's correlation id.</param>
public sealed record VerifyRequested(
    string BackupId, string Cluster, string Policy, VerificationKind Kind = VerificationKind.Integrity, DateTimeOffset? ScheduledFor = null,
    string? RequestedBy = null) : MessagePayload
{
    /// <inheritdoc />
    public override string? Validate() => Id("backupId", BackupId) ?? Name("cluster", Cluster) ?? Name("policy", Policy);
}

/// <summary>Restore a backup into a cluster (e.g. from a ticket system).</summary>
/// <param name="BackupId">The backup to restore.</param>
/// <param name="TargetCluster">The cluster to restore into, by its name in strata.yaml.</param>
/// <param name="IncludeNamespaces">Source namespaces to restore; empty for all.</param>
/// <param name="NamespaceMappings">Source namespace → target namespace.</param>
/// <param name="Selector">A label selector objects must match.</param>
/// <param name="ExistingObjects">What to do with objects that exist: skip (default) or update.</param>
/// <param name="DryRun">Validate on the server, persist nothing.</param>
/// <param name="Reason">Why, for people (e.g. a ticket number).</param>
/// <param name="RequestedBy">Who or what asked.</param>
public sealed record RestoreRequested(
    string BackupId, string TargetCluster, IReadOnlyList<string>? IncludeNamespaces = null, IReadOnlyDictionary<string, string>? NamespaceMappings = null,
    string? Selector = null, Restore.ExistingResourcePolicy ExistingObjects = Restore.ExistingResourcePolicy.Skip, bool DryRun = false,
    string? Reason = null, string? RequestedBy = null) : MessagePayload
{
    /// <inheritdoc />
    public override string? Validate() =>
        Id("backupId", BackupId) ?? Name("targetCluster", TargetCluster)
        ?? (Selector is not null && !Kubernetes.LabelSelector.TryParse(Selector, out _, out var error) ? $"payload.selector: {error}" : null)
        ?? (NamespaceMappings is not null && !Restore.NamespaceMapping.TryParse(NamespaceMappings.Select(p => $"{p.Key}:{p.Value}"), out _, out var mappingError) ? $"payload.namespaceMappings: {mappingError}" : null);
}

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    /// <summary>For the record.</summary>
    Info,

    /// <summary>Needs attention during working hours.</summary>
    Warning,

    /// <summary>Page on-call.</summary>
    Critical,
}

/// <summary>Something on-call should know: a failed backup, a rejected message, a missed RPO.</summary>
/// <param name="Severity">How urgent.</param>
/// <param name="Kind">What happened, machine-readable: <c>backup-failed</c>, <c>backup-partial</c>, <c>backup-abandoned</c>, <c>message-rejected</c>, <c>restore-failed</c>, <c>drill-failed</c>, <c>drill-rto-exceeded</c>, …</param>
/// <param name="Summary">One line for people.</param>
/// <param name="DedupKey">Alerts with the same key are one incident (e.g. <c>backup-failed/nightly/prod</c>).</param>
/// <param name="Cluster">The cluster concerned, if any.</param>
/// <param name="Policy">The policy concerned, if any.</param>
/// <param name="RunId">The run concerned, if any.</param>
/// <param name="Details">More facts, as strings.</param>
/// <param name="FailedItems">
/// For a partial failure: the items that failed, one line each (<c>secrets in shop: forbidden …</c>), the first
/// <see cref="Alerts.FailedItemList.Shown"/> of them.
/// </param>
/// <param name="MoreFailedItems">How many more items failed than <paramref name="FailedItems"/> lists.</param>
public sealed record AlertRaised(
    AlertSeverity Severity, string Kind, string Summary, string DedupKey, string? Cluster = null, string? Policy = null, string? RunId = null,
    IReadOnlyDictionary<string, string>? Details = null, IReadOnlyList<string>? FailedItems = null, int? MoreFailedItems = null) : MessagePayload
{
    /// <inheritdoc />
    public override string? Validate() =>
        string.IsNullOrWhiteSpace(Kind) ? "payload.kind is required"
        : string.IsNullOrWhiteSpace(Summary) ? "payload.summary is required"
        : string.IsNullOrWhiteSpace(DedupKey) ? "payload.dedupKey is required"
        : MoreFailedItems < 0 ? "payload.moreFailedItems must not be negative"
        : null;
}

/// <summary>
/// What an <see cref="AlertRaised"/> reported is over (a newer good backup, an RPO met again). Closes the
/// incident with the same dedup key; the channels that were told about it are told it resolved (PagerDuty
/// gets a <c>resolve</c> with the same <c>dedup_key</c>). A resolve for an incident that is not open does nothing.
/// </summary>
/// <param name="DedupKey">The incident's key, as its alerts carried it.</param>
/// <param name="Summary">One line for people: what recovered.</param>
/// <param name="Cluster">The cluster concerned, if any.</param>
/// <param name="Policy">The policy concerned, if any.</param>
/// <param name="RunId">The run that shows the recovery, if any.</param>
public sealed record AlertResolved(string DedupKey, string Summary, string? Cluster = null, string? Policy = null, string? RunId = null) : MessagePayload
{
    /// <inheritdoc />
    public override string? Validate() =>
        string.IsNullOrWhiteSpace(DedupKey) ? "payload.dedupKey is required"
        : string.IsNullOrWhiteSpace(Summary) ? "payload.summary is required"
        : null;
}
