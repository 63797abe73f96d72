using CsCheck;
using Strata.Core.Databases.Postgres;

namespace Strata.Core.Tests.Databases.Postgres;

/// <summary>Rows of COPY text, however the data is cut into pieces, without pg_dump's end-of-copy marker.</summary>
public sealed class CopyRowCounterTests
{
    [Fact]
    public void Rows_AnyRowsInAnyPieces_CountsEveryRowAndNotTheMarker()
    {
        var row = Gen.String[Gen.Char['a', 'z'], 0, 12].Select(s => s.Replace("\\", "", StringComparison.Ordinal));
        Gen.Select(row.List[0, 40], Gen.Int[1, 9], Gen.Bool).Sample((rows, piece, marker) =>
        {
            var text = string.Concat(rows.Select(r => r + "\n")) + (marker ? "\\.\n\n\n" : "");
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            var counter = new CopyRowCounter();
            for (var at = 0; at < bytes.Length; at += piece)
            {
                counter.Add(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
            }

            Assert.Equal(rows.Count, counter.Rows);
        });
    }

    [Theory]
    [InlineData("\\.\n\n\n", 0)]
    [InlineData("a\\\\.\n\n\n", 3)] // a value ending in a backslash and a dot is not the marker
    [InlineData("\n\\.\n\n\n", 1)] // an empty-string row, then the marker
    [InlineData("x\n\\.\n", 1)]
    [InlineData("", 0)]
    public void Rows_MarkerOnlyAtALineStart(string text, long rows)
    {
        var counter = new CopyRowCounter();
        counter.Add(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.Equal(rows, counter.Rows);
    }
}
