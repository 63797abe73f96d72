using Strata.Core.Artifacts;
using Strata.Core.Databases;

namespace Strata.Core.Verification;

/// <summary>
/// Where a dump check finds the tables and rows a dump was recorded with at capture time (the manifest's
/// summary of <paramref name="artifact"/>); null when none were recorded, and then rows are not compared.
/// </summary>
/// <param name="artifact">The dump being checked.</param>
/// <param name="manifest">The backup's manifest.</param>
public delegate IReadOnlyList<DumpTable>? ExpectedDumpTables(ArtifactEntry artifact, BackupManifest manifest);
