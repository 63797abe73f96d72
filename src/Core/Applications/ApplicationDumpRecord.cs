namespace Strata.Core.Applications;

/// <summary>One application dump in a backup, as the manifest records it.</summary>
public sealed record ApplicationDumpRecord
{
    /// <summary>The dump's name in the policy.</summary>
    public required string Name { get; init; }

    /// <summary>The pod's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The artifact's path in the backup.</summary>
    public required string Path { get; init; }

    /// <summary>Bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Lowercase hex SHA-256.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Where it ran: <c>pod gitlab/toolbox-0 (container toolbox)</c>.</summary>
    public required string RanIn { get; init; }

    /// <summary>The file streamed back, when the output was a file.</summary>
    public string? File { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long command, copy and check took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The verification command's outcome: <c>passed</c>, or what it said; null when the policy names none.</summary>
    public string? Verification { get; init; }
}
