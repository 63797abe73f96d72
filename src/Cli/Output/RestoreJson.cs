using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Runs;
using Strata.Core.Serialization;

namespace Strata.Cli.Output;

/// <summary>The <c>--output json</c> documents of restores: the run record as stored.</summary>
internal static class RestoreJson
{
    public static string Record(RestoreRecord record) => JsonSerializer.Serialize(record, StrataJson.Default.RestoreRecord);

    public static string List(IEnumerable<RestoreRecord> records) =>
        new JsonArray([.. records.Select(r => JsonSerializer.SerializeToNode(r with { Items = [] }, StrataJson.Default.RestoreRecord))])
            .ToJsonString(BackupJson.Indented);
}
