using Strata.Core.Artifacts;

namespace Strata.Core.Verification;

/// <summary>Which artifacts the database layer writes: everything under <c>databases/</c>.</summary>
public static class DatabaseArtifacts
{
    /// <summary>The folder of database dumps in a backup.</summary>
    public const string Folder = "databases/";

    /// <summary>A PostgreSQL custom-format archive: <c>databases/…/{database}.dump</c>.</summary>
    public static bool IsPgDump(ArtifactEntry artifact) => InFolder(artifact, ".dump");

    /// <summary>A SQL script: a MariaDB/MySQL dump or a <c>pg_dumpall --globals-only</c> script, <c>databases/…/*.sql</c>.</summary>
    public static bool IsSqlScript(ArtifactEntry artifact) => InFolder(artifact, ".sql");

    private static bool InFolder(ArtifactEntry artifact, string extension) =>
        artifact.Path.StartsWith(Folder, StringComparison.Ordinal) && artifact.Path.EndsWith(extension, StringComparison.Ordinal);
}
