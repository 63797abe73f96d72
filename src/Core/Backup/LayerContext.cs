using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Backup;

/// <summary>What a layer captures into: the store and the backup's prefix, the run's result, its clock and progress.</summary>
/// <param name="Store">The artifact store.</param>
/// <param name="BackupPrefix">The backup's key prefix (<c>ArtifactLayout.BackupPrefix</c>).</param>
/// <param name="Result">Where the layer records each item's problems.</param>
/// <param name="Time">The clock.</param>
/// <param name="Progress">Progress, for people watching.</param>
public sealed record LayerContext(IArtifactStore Store, string BackupPrefix, OperationResult Result, TimeProvider Time, IProgress<BackupProgress>? Progress = null);
