using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Core.Messages;

/// <summary>Enums in messages are camelCase strings (<c>critical</c>, <c>partiallyFailed</c>); numbers are refused.</summary>
/// <typeparam name="T">The enum.</typeparam>
public sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where T : struct, Enum;
