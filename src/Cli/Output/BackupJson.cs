using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Runs;
using Strata.Core.Serialization;

namespace Strata.Cli.Output;

/// <summary>The <c>--output json</c> documents.</summary>
internal static class BackupJson
{
    public static string Create(BackupOutcome outcome, StoreLocation location) => One(outcome.Record, location);

    /// <summary>One run record (with its verification report, when it has one).</summary>
    public static string One(BackupRecord record, StoreLocation location) => Record(record, location).ToJsonString(Indented);

    public static string List(IEnumerable<BackupRecord> records, StoreLocation location) =>
        new JsonArray([.. records.Select(r => (JsonNode)Record(r, location))]).ToJsonString(Indented);

    public static string Describe(BackupRecord record, BackupManifest? manifest, StoreLocation location)
    {
        var json = Record(record, location);
        if (manifest is not null)
        {
            json["manifest"] = JsonSerializer.SerializeToNode(manifest, StrataJson.Default.BackupManifest);
        }

        return json.ToJsonString(Indented);
    }

    private static JsonObject Record(BackupRecord record, StoreLocation location)
    {
        var json = JsonSerializer.SerializeToNode(record, StrataJson.Default.BackupRecord)!.AsObject();
        json["store"] = location.ArtifactsWhere;
        json["artifacts"] = new JsonArray([.. record.Artifacts.Select(a => (JsonNode)new JsonObject
        {
            ["path"] = a.Path,
            ["key"] = ArtifactLayout.ArtifactKey(record.Location, a.Path),
            ["size"] = a.Size,
            ["sha256"] = a.Sha256,
        })]);
        json["manifest"] = record.Artifacts.Count > 0 ? ArtifactLayout.ArtifactKey(record.Location, ArtifactLayout.Manifest) : null;
        return json;
    }

    /// <summary>Indented output, for every <c>--output json</c> document.</summary>
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
