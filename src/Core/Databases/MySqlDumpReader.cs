using Strata.Core.Databases.MySql;

namespace Strata.Core.Databases;

/// <summary>Reads what a <c>mariadb-dump</c> / <c>mysqldump</c> script holds (<see cref="MySqlDumpScript"/>) into the manifest's terms.</summary>
public sealed class MySqlDumpReader : IDumpReader
{
    /// <inheritdoc />
    public async Task<DumpReading> ReadAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var script = await MySqlDumpScript.ReadAsync(content, cancellationToken);
        if (!script.Completed)
        {
            throw new InvalidDataException("the dump has no completion trailer ('-- Dump completed'): it was cut short");
        }

        var contents = new DumpContents { Entries = script.Tables.Count, Schemas = script.Databases, Tables = script.Tables };
        return new DumpReading(contents, script.ServerVersion, script.ToolVersion);
    }
}
