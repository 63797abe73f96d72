using System.Text.Json.Serialization;
using Strata.Core.Ports;

namespace Strata.Adapters.Azure.Table;

/// <summary>The JSON of the control state's records kept in table entities (gzip, <see cref="CompressedRecord"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RejectedMessage))]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(Core.Coverage.CoverageReport))]
internal sealed partial class ControlStateJson : JsonSerializerContext;
