using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Runs;
using Strata.Core.Serialization;

namespace Strata.Cli.Output;

/// <summary>The <c>--output json</c> documents of drills.</summary>
internal static class DrillJson
{
    /// <summary>One drill record: <c>id</c>, <c>backupId</c>, <c>mode</c>, <c>status</c>, <c>rtoSeconds</c>, <c>assertions[]</c> (with <c>seconds</c>), <c>refused[]</c>, …</summary>
    public static JsonObject Record(DrillRecord drill)
    {
        var json = JsonSerializer.SerializeToNode(drill, StrataJson.Default.DrillRecord)!.AsObject();
        json["rtoObjectiveMet"] = drill.RtoSeconds is null || drill.RtoObjectiveSeconds is null ? null : !drill.ExceededObjective;
        return json;
    }

    /// <summary><c>drill list</c>: the RTO trend per policy and cluster, then the drills, newest first.</summary>
    public static string List(IReadOnlyList<DrillRecord> drills) => new JsonObject
    {
        ["trends"] = new JsonArray([.. DrillTrend.Of(drills).Select(t => (JsonNode)new JsonObject
        {
            ["policy"] = t.Policy,
            ["cluster"] = t.Cluster,
            ["drills"] = t.Drills,
            ["passed"] = t.Passed,
            ["failed"] = t.Failed,
            ["lastStatus"] = t.Last.Status.ToString(),
            ["lastRtoSeconds"] = t.Last.RtoSeconds,
            ["rtoObjectiveSeconds"] = t.Last.RtoObjectiveSeconds,
            ["rtoSeconds"] = new JsonArray([.. t.RtoOldestFirst.Select(r => (JsonNode?)JsonValue.Create(r))]),
        })]),
        ["drills"] = new JsonArray([.. drills.Select(d => (JsonNode)Record(d))]),
    }.ToJsonString(BackupJson.Indented);
}
