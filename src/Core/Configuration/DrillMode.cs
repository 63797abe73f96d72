using System.Text.Json.Serialization;

namespace Strata.Core.Configuration;

/// <summary>How a restore drill proves a backup without harming the target.</summary>
public enum DrillMode
{
    /// <summary>Restore into scratch namespaces (<c>{prefix}-{namespace}</c>), wait for the assertions, delete the namespaces.</summary>
    [JsonStringEnumMemberName("scratch")]
    Scratch,

    /// <summary>Send every object with <c>dryRun=All</c>: admission and schema validation, nothing persisted.</summary>
    [JsonStringEnumMemberName("dryRun")]
    DryRun,
}
