using Strata.Core.Databases;

namespace Strata.Core.Volumes;

/// <summary>A database target whose snapshots are to be application-consistent: its open session (if it opened) and its claims.</summary>
/// <param name="Target">The target.</param>
/// <param name="Session">The open session; null when it could not be opened.</param>
/// <param name="Problem">Why there is no session (the snapshots are then taken crash-consistent, and the backup says so).</param>
/// <param name="Claims">The claims that hold its data.</param>
internal sealed record OnlineTarget(DatabaseTarget Target, IOnlineBackupSession? Session, string? Problem, IReadOnlyList<PlannedClaim> Claims);
