using Strata.Core.Artifacts;
using Strata.Core.Runs;

namespace Strata.Core.Backup;

/// <summary>How a backup ended: its run record and, when one was committed, its manifest.</summary>
public sealed record BackupOutcome(BackupRecord Record, BackupManifest? Manifest);
