using System.Globalization;
using Strata.Core.Artifacts;
using Strata.Core.Databases;
using Strata.Core.Databases.Postgres;

namespace Strata.Core.Verification;

/// <summary>
/// The database layer's check of a PostgreSQL dump (<c>databases/…/*.dump</c>, pg_dump's custom format): the
/// header, the whole table of contents and every data block read in one pass (<see cref="PgDumpArchive"/>).
/// A dump that is not an archive, whose table of contents is cut short or empty, whose data blocks are
/// damaged, or that ends before the data the table of contents announces, fails. The facts name the server,
/// pg_dump, the schemas, tables, rows and large objects found. Given where the capture-time rows are
/// (<paramref name="expectedTables"/>), the dump's tables must be the recorded ones (<see cref="DumpRowComparison"/>).
/// When the capture counted rows, the data blocks are walked, not inflated (<see cref="PgDumpArchive.WalkAsync"/>),
/// and the rows reported are the capture's: it counted them from these very bytes as they streamed, and the
/// verifier's SHA-256 match proves the stored bytes are those. Without recorded rows (an older manifest, a dump the
/// capture could not read) every block is inflated, checked and its rows counted.
/// A dump that shrank against the last verified backup is <see cref="DriftCheck"/>'s (artifact size).
/// </summary>
/// <param name="expectedTables">Where the manifest records the dump's tables and rows at capture; none by default.</param>
public sealed class PgDumpCheck(ExpectedDumpTables? expectedTables = null) : IArtifactCheck
{
    /// <summary>How many entries without data a finding names before it counts the rest.</summary>
    private const int MissingNamed = 5;

    /// <inheritdoc />
    public string Name => "pg_dump";

    /// <inheritdoc />
    public bool AppliesTo(ArtifactEntry artifact) => DatabaseArtifacts.IsPgDump(artifact);

    /// <inheritdoc />
    public async Task<ArtifactCheckResult> CheckAsync(
        ArtifactEntry artifact, Stream content, BackupManifest manifest, VerificationFindings findings, CancellationToken cancellationToken = default)
    {
        var expected = expectedTables?.Invoke(artifact, manifest);
        var countedAtCapture = expected?.Any(t => t.Rows is not null) == true;
        PgDumpContents dump;
        try
        {
            dump = countedAtCapture
                ? await PgDumpArchive.WalkAsync(content, cancellationToken)
                : await PgDumpArchive.ReadAsync(content, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            findings.Error("dump", e.Message, artifact.Path);
            return new ArtifactCheckResult(new Dictionary<string, string>(), ReadToEnd: false);
        }

        if (dump.Entries == 0)
        {
            findings.Error("dump", "the table of contents is empty: the dump holds nothing", artifact.Path);
        }

        if (!dump.DataComplete)
        {
            var named = string.Join(", ", dump.MissingData.Take(MissingNamed));
            var more = dump.MissingData.Count > MissingNamed ? $" and {dump.MissingData.Count - MissingNamed} more" : "";
            findings.Error("dump", $"the dump ends before the data of {dump.MissingData.Count} table-of-contents entries (truncated): {named}{more}", artifact.Path);
        }
        else if (dump.Entries > 0 && expected is not null)
        {
            // Walked, the dump's tables have no rows of their own: the comparison is then of the tables present.
            DumpRowComparison.Compare(expected, dump.Tables, artifact.Path, findings);
        }

        return new ArtifactCheckResult(Facts(dump, countedAtCapture ? expected : null), ReadToEnd: true);
    }

    /// <summary>What the report shows of a dump; given <paramref name="capturedTables"/>, its rows are those counted at capture.</summary>
    public static IReadOnlyDictionary<string, string> Facts(PgDumpContents dump, IReadOnlyList<DumpTable>? capturedTables = null)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = $"pg_dump custom archive {dump.FormatVersion}",
            ["compression"] = dump.Compression.ToString().ToLowerInvariant() + (dump.CompressionLevel is { } level and not 0 ? $" (level {Number(level)})" : ""),
            ["entries"] = Number(dump.Entries),
            ["schemas"] = Number(dump.Schemas.Count),
            ["tables"] = Number(dump.Tables.Count),
            ["rows"] = capturedTables is not null ? Number(capturedTables.Sum(t => t.Rows ?? 0))
                : dump.RowsCounted ? Number(dump.TotalRows)
                : $"not counted ({dump.Compression.ToString().ToLowerInvariant()} data is not decoded)",
            ["rows counted"] = capturedTables is not null ? "at capture, from the bytes whose SHA-256 is checked; data blocks walked, not inflated"
                : dump.RowsCounted ? "by verification, every data block inflated" : "no",
            ["large objects"] = Number(dump.LargeObjects),
            ["data blocks"] = Number(dump.DataBlocks),
        };
        Add(facts, "database", dump.Database);
        Add(facts, "server", dump.ServerVersion);
        Add(facts, "pg_dump", dump.PgDumpVersion);
        return facts;
    }

    private static void Add(Dictionary<string, string> facts, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            facts[key] = value;
        }
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
