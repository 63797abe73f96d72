using Strata.Core.Configuration;
using Strata.Core.Runs;

namespace Strata.Core.Drills;

/// <summary>A restore drill to run.</summary>
public sealed record DrillRequest
{
    /// <summary>The drill's id (derived from the request that asked for it, so a replay finds the same drill).</summary>
    public required string DrillId { get; init; }

    /// <summary>The backup to restore: a verified one, as the run history records it.</summary>
    public required BackupRecord Backup { get; init; }

    /// <summary>The cluster restored into, by its name in strata.yaml.</summary>
    public required string Target { get; init; }

    /// <summary>How: the policy's <c>verification.drill</c>.</summary>
    public required DrillSettings Settings { get; init; }

    /// <summary>Who or what asked.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The last six characters of the id, for scratch namespace names.</summary>
    public string ShortId => DrillId.Length > 6 ? DrillId[^6..] : DrillId;

    /// <summary>The prefix of this drill's scratch namespaces.</summary>
    public string Prefix => Settings.Prefix.Replace(DrillSettings.IdPlaceholder, ShortId, StringComparison.Ordinal);
}
