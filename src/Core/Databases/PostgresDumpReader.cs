using Strata.Core.Databases.Postgres;

namespace Strata.Core.Databases;

/// <summary>Reads what a <c>pg_dump -Fc</c> archive holds (<see cref="PgDumpArchive"/>) into the manifest's terms.</summary>
public sealed class PostgresDumpReader : IDumpReader
{
    /// <inheritdoc />
    public async Task<DumpReading> ReadAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var archive = await PgDumpArchive.ReadAsync(content, cancellationToken);
        if (!archive.DataComplete)
        {
            throw new InvalidDataException($"the archive ends before the data of {string.Join(", ", archive.MissingData.Take(3))}");
        }

        var contents = new DumpContents { Entries = archive.Entries, Schemas = archive.Schemas, Tables = archive.Tables, LargeObjects = archive.LargeObjects };
        return new DumpReading(contents, archive.ServerVersion, archive.PgDumpVersion);
    }
}
