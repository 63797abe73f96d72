namespace Strata.Core.Databases;

/// <summary>
/// One dump in a backup, as the manifest records it: which server and database, where it ran, the artifact (also
/// listed with its size and SHA-256 among the manifest's artifacts), the versions, how long it took, and what the
/// dump holds (read from the dump itself while it streamed).
/// </summary>
public sealed record DatabaseDump
{
    /// <summary>The target's name in the policy.</summary>
    public required string Target { get; init; }

    /// <summary>The target's engine.</summary>
    public required DatabaseEngine Engine { get; init; }

    /// <summary>The target's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The database; null for the server's globals (roles, tablespaces).</summary>
    public string? Database { get; init; }

    /// <summary>The artifact's path in the backup.</summary>
    public required string Path { get; init; }

    /// <summary>Bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Lowercase hex SHA-256 of the bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Where the tools ran: <c>pod shop/postgres-0 (container postgres)</c>, <c>this host</c>.</summary>
    public required string RanIn { get; init; }

    /// <summary>When the dump started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took, stream to store included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The server's version, as the dump records it.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>The dump tool's version, as the dump records it.</summary>
    public string? ToolVersion { get; init; }

    /// <summary>What the dump holds (schemas, tables and their rows); null when it could not be read.</summary>
    public DumpContents? Contents { get; init; }
}
