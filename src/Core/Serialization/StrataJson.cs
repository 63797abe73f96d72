using System.Text.Json.Serialization;
using Strata.Core.Artifacts;
using Strata.Core.Runs;

namespace Strata.Core.Serialization;

/// <summary>
/// JSON for Strata's own documents (manifests, run records): camelCase, enums as strings,
/// nulls left out, unknown properties ignored on read so older readers keep working.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(Encryption.ManifestSignature))]
[JsonSerializable(typeof(Encryption.WrappedKey))]
[JsonSerializable(typeof(BackupRecord))]
[JsonSerializable(typeof(RestoreRecord))]
[JsonSerializable(typeof(DrillRecord))]
[JsonSerializable(typeof(Status.FleetStatus))]
[JsonSerializable(typeof(Coverage.CoverageReport))]
[JsonSerializable(typeof(Volumes.VolumeSnapshotArtifact))]
public sealed partial class StrataJson : JsonSerializerContext;
