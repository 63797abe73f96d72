namespace Strata.Core.Coverage;

/// <summary>
/// Recognises database pods by their images: the repository's last path segment, without registry, tag or digest
/// (<c>docker.io/library/postgres:16</c>, <c>bitnami/postgresql</c> and <c>registry:5000/team/postgres@sha256:…</c> are
/// all <c>postgres</c>/<c>postgresql</c>), matched exactly — so <c>postgres-exporter</c> or <c>redis-commander</c>,
/// which hold no data, are not taken for databases.
/// </summary>
public static class DatabaseImages
{
    /// <summary>The images, with why each holds state.</summary>
    public static IReadOnlyList<DatabaseImage> Table { get; } =
    [
        new("postgres", "PostgreSQL", "the official PostgreSQL image: its data directory is the database"),
        new("postgresql", "PostgreSQL", "Bitnami's and CloudNativePG's PostgreSQL images"),
        new("postgis", "PostgreSQL", "PostgreSQL with PostGIS: a PostgreSQL server"),
        new("timescaledb", "PostgreSQL", "TimescaleDB: a PostgreSQL server"),
        new("mysql", "MySQL", "the official MySQL image"),
        new("mysql-server", "MySQL", "Oracle's MySQL server image"),
        new("percona-server", "MySQL", "Percona Server for MySQL"),
        new("mariadb", "MariaDB", "the official MariaDB image"),
        new("mongo", "MongoDB", "the official MongoDB image"),
        new("mongodb", "MongoDB", "Bitnami's MongoDB image"),
        new("redis", "Redis", "Redis keeps its data in memory and persists it to RDB/AOF files when configured"),
        new("redis-stack-server", "Redis", "Redis Stack: Redis with modules"),
        new("valkey", "Valkey", "Valkey, the Redis fork: data in memory, persisted to RDB/AOF files when configured"),
    ];

    /// <summary>The database <paramref name="image"/> runs; null when it is not one of <see cref="Table"/>'s.</summary>
    public static DatabaseImage? Recognize(string? image) =>
        image is { Length: > 0 } ? Table.FirstOrDefault(row => string.Equals(row.Repository, RepositoryName(image), StringComparison.OrdinalIgnoreCase)) : null;

    /// <summary>The repository's last path segment: <c>docker.io/library/postgres:16</c> → <c>postgres</c>.</summary>
    public static string RepositoryName(string image)
    {
        var name = image.Split('@', 2)[0];
        var slash = name.LastIndexOf('/');
        var last = name[(slash + 1)..];
        var colon = last.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? last[..colon] : last;
    }
}
