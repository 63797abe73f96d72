using System.Globalization;
using System.Text;
using Strata.Core.Artifacts;
using Strata.Core.Databases.MySql;
using Strata.Core.Databases.Postgres;

namespace Strata.Core.Verification;

/// <summary>
/// The database layer's check of a SQL script (<c>databases/…/*.sql</c>), told apart by its first line: a
/// <c>mariadb-dump</c> / <c>mysqldump</c> dump (<see cref="MySqlDumpScript"/>: tables and exact rows; one without
/// its <c>-- Dump completed</c> trailer was cut short and fails) or a <c>pg_dumpall --globals-only</c> script
/// (<see cref="PgDumpAllGlobals"/>: roles and tablespaces; one without its completion trailer fails). A script
/// that is neither fails. Read in one pass, never held. Given where the capture-time rows are
/// (<paramref name="expectedTables"/>), a complete MariaDB/MySQL dump's rows per table must equal them.
/// </summary>
/// <param name="expectedTables">Where the manifest records the dump's tables and rows at capture; none by default.</param>
public sealed class SqlDumpCheck(ExpectedDumpTables? expectedTables = null) : IArtifactCheck
{
    /// <summary>Bytes read ahead to tell the two apart: both put their marker in the first lines.</summary>
    private const int SniffBytes = 1024;

    /// <inheritdoc />
    public string Name => "sql dump";

    /// <inheritdoc />
    public bool AppliesTo(ArtifactEntry artifact) => DatabaseArtifacts.IsSqlScript(artifact);

    /// <inheritdoc />
    public async Task<ArtifactCheckResult> CheckAsync(
        ArtifactEntry artifact, Stream content, BackupManifest manifest, VerificationFindings findings, CancellationToken cancellationToken = default)
    {
        var head = new byte[SniffBytes];
        var length = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var whole = new ConcatenatedStream(head.AsMemory(0, length), content);
        try
        {
            return Encoding.UTF8.GetString(head, 0, length).Contains("PostgreSQL database cluster dump", StringComparison.Ordinal)
                ? Globals(artifact, await PgDumpAllGlobals.ReadAsync(whole, cancellationToken), findings)
                : Dump(artifact, manifest, await MySqlDumpScript.ReadAsync(whole, cancellationToken), findings);
        }
        catch (InvalidDataException e)
        {
            findings.Error("dump", e.Message, artifact.Path);
            return new ArtifactCheckResult(new Dictionary<string, string>(), ReadToEnd: false);
        }
    }

    private ArtifactCheckResult Dump(ArtifactEntry artifact, BackupManifest manifest, MySqlDumpContents dump, VerificationFindings findings)
    {
        if (!dump.Completed)
        {
            findings.Error("dump", "the dump does not end with '-- Dump completed': it was cut short", artifact.Path);
        }
        else if (expectedTables?.Invoke(artifact, manifest) is { } expected)
        {
            DumpRowComparison.Compare(expected, dump.Tables, artifact.Path, findings);
        }

        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = $"{(dump.Flavor == MySqlDumpFlavor.MariaDb ? "MariaDB" : "MySQL")} dump {dump.ToolVersion}".TrimEnd(),
            ["databases"] = string.Join(", ", dump.Databases),
            ["tables"] = Number(dump.Tables.Count),
            ["rows"] = Number(dump.TotalRows),
            ["inserts"] = Number(dump.InsertStatements),
        };
        if (dump.ServerVersion is { Length: > 0 } server)
        {
            facts["server"] = server;
        }

        return new ArtifactCheckResult(facts, ReadToEnd: true);
    }

    private static ArtifactCheckResult Globals(ArtifactEntry artifact, PgGlobalsContents globals, VerificationFindings findings)
    {
        if (!globals.Completed)
        {
            findings.Error("dump", "the script does not end with '-- PostgreSQL database cluster dump complete': it was cut short", artifact.Path);
        }

        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "pg_dumpall globals",
            ["roles"] = Number(globals.Roles.Count),
            ["tablespaces"] = Number(globals.Tablespaces),
        };
        return new ArtifactCheckResult(facts, ReadToEnd: true);
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
