using Strata.Core.Runs;

namespace Strata.Core.Status;

/// <summary>A run as the status page points at it.</summary>
/// <param name="Id">The run id.</param>
/// <param name="Status">How it stands.</param>
/// <param name="At">When: the start of a run, or the recovery point of a verified backup.</param>
public sealed record RunReference(string Id, BackupStatus Status, DateTimeOffset At);
