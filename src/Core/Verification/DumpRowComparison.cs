using System.Globalization;
using Strata.Core.Databases;

namespace Strata.Core.Verification;

/// <summary>
/// Compares the rows per table a dump was recorded with at capture time (read from the dump's own stream as it
/// was written, so consistent with its snapshot) with the rows verification finds in the stored dump. The
/// dump checks call it when given <see cref="ExpectedDumpTables"/>; a restore drill can call it with the
/// restored database's counts.
/// </summary>
public static class DumpRowComparison
{
    /// <summary>
    /// Adds an error to <paramref name="findings"/> for every table whose rows differ, and for every table on one
    /// side only. Tables whose rows either side could not count are compared by presence only. Returns the errors added.
    /// </summary>
    public static int Compare(IReadOnlyList<DumpTable> expected, IReadOnlyList<DumpTable> found, string artifact, VerificationFindings findings)
    {
        var recorded = expected.ToDictionary(t => t.QualifiedName, StringComparer.Ordinal);
        var actual = found.ToDictionary(t => t.QualifiedName, StringComparer.Ordinal);
        var errors = 0;
        foreach (var name in recorded.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            var e = recorded.GetValueOrDefault(name);
            var f = actual.GetValueOrDefault(name);
            if (e is null || f is null)
            {
                findings.Error("rows", e is null ? "a table the capture did not record is in the dump" : "a table the capture recorded is not in the dump",
                    artifact, name, Rows(e), Rows(f));
                errors++;
            }
            else if (e.Rows is not null && f.Rows is not null && e.Rows != f.Rows)
            {
                findings.Error("rows", "the table's rows differ from those recorded at capture", artifact, name, Rows(e), Rows(f));
                errors++;
            }
        }

        return errors;
    }

    private static string Rows(DumpTable? table) => table is null ? "no table"
        : table.Rows is { } rows ? rows.ToString(CultureInfo.InvariantCulture) + " rows"
        : "rows not counted";
}
