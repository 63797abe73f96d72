using System.Text.Json.Serialization;
using Strata.Core.Restore;
using Strata.Core.Runs;

namespace Strata.Core.Messages;

/// <summary>JSON for messages: camelCase, strict on read (unknown fields, missing required fields, nulls in non-nullable fields are errors).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(CamelCaseEnumConverter<AlertSeverity>), typeof(CamelCaseEnumConverter<BackupStatus>),
        typeof(CamelCaseEnumConverter<VerificationKind>), typeof(CamelCaseEnumConverter<ExistingResourcePolicy>)])]
[JsonSerializable(typeof(BackupRequested))]
[JsonSerializable(typeof(BackupCompleted))]
[JsonSerializable(typeof(VerifyRequested))]
[JsonSerializable(typeof(RestoreRequested))]
[JsonSerializable(typeof(AlertRaised))]
[JsonSerializable(typeof(AlertResolved))]
internal sealed partial class MessageJson : JsonSerializerContext;
