using CsCheck;
using Strata.Core.Databases;
using Strata.Core.Databases.Postgres;

namespace Strata.Core.Tests.Databases.Postgres;

/// <summary>
/// The archive reader against archives written from the format's description (<see cref="PgArchiveBuilder"/>):
/// the versions and shapes this machine's pg_dump 15 does not write (1.15, 1.16, LZ4, 8-byte integers), and
/// damage pg_dump never writes (an empty table of contents, a block nobody announced).
/// </summary>
public sealed class PgDumpArchiveFormatTests
{
    [Theory]
    [InlineData(12, 0)]
    [InlineData(14, 0)]
    [InlineData(15, 0)]
    [InlineData(15, 1)]
    [InlineData(16, 0)]
    [InlineData(16, 1)]
    public async Task ReadAsync_EachVersion_ReadsTablesRowsAndLargeObjects(int minor, int algorithm)
    {
        var archive = new PgArchiveBuilder(minor, algorithm: algorithm)
            .Schema("sales").Table("sales", "orders").Table("public", "empty")
            .TableData("sales", "orders", ["1\tnew\t\\N", "2\tpaid\tmulti\\nline", "3\t\t"])
            .TableData("public", "empty", [])
            .LargeObjects("hello", "", "world")
            .Build();

        var contents = await PgDumpArchive.ReadAsync(new TrickleStream(archive, seed: minor * 10 + algorithm));

        Assert.Equal($"1.{minor}-0", contents.FormatVersion);
        Assert.Equal(algorithm == 1 ? PgDumpCompression.Gzip : PgDumpCompression.None, contents.Compression);
        Assert.Equal([new DumpTable("public", "empty", 0), new DumpTable("sales", "orders", 3)], contents.Tables);
        Assert.Equal(["public", "sales"], contents.Schemas);
        Assert.Equal((3L, 3, true), (contents.LargeObjects, contents.DataBlocks, contents.DataComplete));
        Assert.Equal(("shop", "17.2", new DateTime(2026, 11, 30, 3, 4, 5)), (contents.Database, contents.ServerVersion, contents.CreatedAt));
    }

    [Fact]
    public async Task ReadAsync_Gzip114_ReadsTheLevel()
    {
        var archive = new PgArchiveBuilder(14) { Level = 9 }.Table("public", "t").TableData("public", "t", ["a", "b"]).Build();

        var contents = await PgDumpArchive.ReadAsync(new MemoryStream(archive));

        Assert.Equal((PgDumpCompression.Gzip, 9, 2L), (contents.Compression, contents.CompressionLevel, contents.Tables[0].Rows));
    }

    [Fact]
    public async Task ReadAsync_Lz4_WalksTheDataWithoutCountingRows()
    {
        var archive = new PgArchiveBuilder(16, algorithm: 2).Table("public", "t").TableData("public", "t", ["a", "b"]).LargeObjects("x").Build();

        var contents = await PgDumpArchive.ReadAsync(new MemoryStream(archive));

        Assert.Equal((PgDumpCompression.Lz4, false, true, 1L), (contents.Compression, contents.RowsCounted, contents.DataComplete, contents.LargeObjects));
        Assert.Null(contents.Tables[0].Rows);
    }

    [Fact]
    public async Task ReadAsync_EightByteIntegers_Read()
    {
        var archive = new PgArchiveBuilder(14, intSize: 8).Table("public", "t").TableData("public", "t", ["a"]).Build();

        Assert.Equal(1, (await PgDumpArchive.ReadAsync(new MemoryStream(archive))).Tables[0].Rows);
    }

    [Fact]
    public async Task ReadAsync_EmptyTableOfContents_ReadsZeroEntries()
    {
        var contents = await PgDumpArchive.ReadAsync(new MemoryStream(new PgArchiveBuilder(14).Build()));

        Assert.Equal((0, true), (contents.Entries, contents.DataComplete));
    }

    [Theory]
    [InlineData(11, "archive version 1.11 is not one this reader knows (1.12 to 1.16: pg_dump 9.0 to 18)")]
    [InlineData(17, "archive version 1.17 is not one this reader knows (1.12 to 1.16: pg_dump 9.0 to 18)")]
    public async Task ReadAsync_UnknownVersion_ThrowsSaying(int minor, string message)
    {
        var archive = new PgArchiveBuilder(14).Build();
        archive[6] = (byte)minor;

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.ReadAsync(new MemoryStream(archive)));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task ReadAsync_DirectoryFormatToc_ThrowsSaying()
    {
        var archive = new PgArchiveBuilder(14).Build();
        archive[10] = 5;

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.ReadAsync(new MemoryStream(archive)));

        Assert.StartsWith("archive format 5 at byte 10 is not the custom format", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A data block: its type, dump id, one chunk of "x\n\\.\n\n\n" (7 bytes) and the end chunk.</summary>
    private const int OneRowBlock = 1 + 5 + 5 + 7 + 5;

    [Fact]
    public async Task ReadAsync_SecondBlockForAnEntry_ThrowsNamingIt()
    {
        var archive = new PgArchiveBuilder(14).Table("public", "t").TableData("public", "t", ["a"]).Build();

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.ReadAsync(new MemoryStream([.. archive, .. archive[^OneRowBlock..]])));

        Assert.Equal($"a second data block for TABLE DATA public.t (dump id 2) at byte {archive.Length}", e.Message);
    }

    [Fact]
    public async Task ReadAsync_BlockOfUnknownType_ThrowsNamingTheByte()
    {
        var archive = new PgArchiveBuilder(14).Table("public", "t").TableData("public", "t", ["a"]).Build();

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.ReadAsync(new MemoryStream([.. archive, 0x07])));

        Assert.Equal($"a data block of unknown type 7 at byte {archive.Length}", e.Message);
    }

    [Fact]
    public async Task ReadAsync_MissingLastBlock_ReportsIt()
    {
        var full = new PgArchiveBuilder(14).Table("public", "a").Table("public", "b")
            .TableData("public", "a", ["1"]).TableData("public", "b", ["2"]).Build();

        var contents = await PgDumpArchive.ReadAsync(new MemoryStream(full, 0, full.Length - OneRowBlock));

        Assert.Equal(["TABLE DATA public.b (dump id 4)"], contents.MissingData);
        Assert.False(contents.DataComplete);
    }

    [Theory]
    [InlineData(14, 0)]
    [InlineData(16, 1)]
    public async Task ReadAsync_AnyDamage_ReadsOrThrowsInvalidData(int minor, int algorithm)
    {
        var archive = DamageTarget(minor, algorithm);
        var damage = Gen.Select(Gen.Int[0, archive.Length - 1], Gen.Byte, Gen.Int[0, 2]);
        await damage.Array[1, 4].SampleAsync(async changes =>
        {
            try
            {
                await PgDumpArchive.ReadAsync(new MemoryStream(Damaged(archive, changes)));
            }
            catch (InvalidDataException)
            {
            }
        }, iter: 2000);
    }

    [Fact]
    public async Task ReadAsync_DamageThatMakesZlibReturnAnErrorCode_ThrowsInvalidData()
    {
        // A case the sampling above found (CsCheck seed duduVrUD4061): zlib's inflate failed with an error code, which
        // .NET raises as ZLibException rather than InvalidDataException.
        var damaged = Damaged(DamageTarget(16, 1), [(717, 161, 2), (281, 45, 0), (655, 187, 2), (24, 75, 0)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpArchive.ReadAsync(new MemoryStream(damaged)));

        Assert.Contains("zlib", error.Message, StringComparison.Ordinal);
    }

    private static byte[] DamageTarget(int minor, int algorithm) =>
        new PgArchiveBuilder(minor, algorithm: algorithm).Schema("s").Table("s", "t")
            .TableData("s", "t", ["1\ta", "2\tb", "3\tc"]).LargeObjects("lo").Build();

    /// <summary>The archive with each change applied in turn: 0 flips bits of a byte, 1 cuts the rest off, 2 inserts a byte.</summary>
    private static byte[] Damaged(byte[] archive, IEnumerable<(int At, byte Value, int Kind)> changes)
    {
        var bytes = archive.ToList();
        foreach (var (at, value, kind) in changes)
        {
            var i = Math.Min(at, bytes.Count - 1);
            switch (kind)
            {
                case 0: bytes[i] ^= (byte)(value | 1); break;
                case 1: bytes.RemoveRange(i, bytes.Count - i); break;
                default: bytes.Insert(i, value); break;
            }

            if (bytes.Count == 0)
            {
                break;
            }
        }

        return [.. bytes];
    }
}
