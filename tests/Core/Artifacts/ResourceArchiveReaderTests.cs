using System.Formats.Tar;
using System.Text;
using Strata.Core.Artifacts;

namespace Strata.Core.Tests.Artifacts;

public class ResourceArchiveReaderTests
{
    private const string Artifact = "backups/prod/nightly/20260101-000000-abcdef/resources.tar.gz";

    public static TheoryData<string, byte[], string[]> Hostile() => new()
    {
        { "symbolic link", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, HostileArchives.ConfigMap) { LinkName = "/etc/shadow" })), [HostileArchives.ConfigMap, "a link (to '/etc/shadow')"] },
        { "hard link", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.HardLink, HostileArchives.ConfigMap) { LinkName = HostileArchives.Namespace })), [HostileArchives.ConfigMap, "a link"] },
        { "character device", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.CharacterDevice, HostileArchives.ConfigMap))), ["CharacterDevice entry"] },
        { "block device", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.BlockDevice, HostileArchives.ConfigMap))), ["BlockDevice entry"] },
        { "fifo", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.Fifo, HostileArchives.ConfigMap))), ["Fifo entry"] },
        { "directory", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "resources/core/v1/configmaps/"))), ["a directory"] },
        { "directory named as a document", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.Directory, HostileArchives.ConfigMap))), ["a directory"] },
        { "absolute path", HostileArchives.Build(t => HostileArchives.File(t, "/etc/cron.d/evil.json", HostileArchives.Document(HostileArchives.ConfigMap))), ["'/etc/cron.d/evil.json'", "absolute path"] },
        { "climbing path", HostileArchives.Build(t => HostileArchives.File(t, "resources/../../../etc/evil.json", HostileArchives.Document(HostileArchives.ConfigMap))), ["climbs out"] },
        { "duplicate path", HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.Namespace, HostileArchives.Document(HostileArchives.Namespace))), [HostileArchives.Namespace, "appears twice"] },
        { "GNU long name past the limit", HostileArchives.Build(t => HostileArchives.File(t, $"resources/core/v1/configmaps/namespaces/shop/{new string('a', 70_000)}.json", [])), ["GNU long name of 70,", "MaxHeaderBytes", "offset 1,024"] },
        { "GNU long link past the limit", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, HostileArchives.ConfigMap) { LinkName = new string('l', 70_000) })), ["GNU long link name", "MaxHeaderBytes"] },
        { "PAX header past the limit", HostileArchives.Build(t => t.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, HostileArchives.ConfigMap, new Dictionary<string, string> { ["comment"] = new string('x', 100_000) }) { DataStream = new MemoryStream(HostileArchives.Document(HostileArchives.ConfigMap)) })), ["PAX extended header", "MaxHeaderBytes"] },
        { "long name claiming 1 GiB", HostileArchives.BuildRaw(HostileArchives.Header("././@LongLink"u8.ToArray(), 'L', 1L << 30)), ["GNU long name of 1,073,741,824 bytes", "offset 1,024", "MaxHeaderBytes"] },
        { "PAX header claiming 8 GiB", HostileArchives.BuildRaw(HostileArchives.Header("PaxHeaders/x"u8.ToArray(), 'x', 8L << 30)), ["PAX extended header of 8,589,934,592 bytes", "MaxHeaderBytes"] },
        { "PAX global header", HostileArchives.Build(t => t.WriteEntry(new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["a"] = "b" })), TarEntryFormat.Pax), ["GlobalExtendedAttributes entry"] },
        { "document past the limit", HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.ConfigMap, new byte[ResourceArchiveReader.MaxDocumentBytes + 1])), ["8,388,609 bytes", "MaxEntryBytes"] },
        { "non-UTF-8 name", HostileArchives.BuildRaw(HostileArchives.RawFile([.. "resources/core/v1/configmaps/namespaces/shop/"u8, 0xC3, 0x28, .. ".json"u8], HostileArchives.Document(HostileArchives.ConfigMap))), ["not valid UTF-8"] },
        { "document not UTF-8", HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.ConfigMap, [.. "{\"apiVersion\":\"v1\",\"kind\":\""u8, 0xC3, 0x28, .. "\"}"u8])), [HostileArchives.ConfigMap, "not valid UTF-8"] },
        { "unpaired surrogate escape", HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.ConfigMap, "{\"metadata\":{\"name\":\"\\ud800\"}}"u8.ToArray())), [HostileArchives.ConfigMap, "half a surrogate pair"] },
        { "garbage after a valid entry", HostileArchives.BuildRaw(Enumerable.Repeat((byte)'z', 512).ToArray()), ["tar header at offset 1,024 has an unreadable size field"] },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task ReadAsync_HostileArchive_IsRefusedNamingTheArtifactAndWhy(string scenario, byte[] archive, string[] expected)
    {
        var (read, refused) = await ReadAsync(archive);

        Assert.True(refused is not null, $"{scenario}: not refused");
        Assert.StartsWith(Artifact + ": ", refused.Message, StringComparison.Ordinal);
        foreach (var fragment in expected)
        {
            Assert.Contains(fragment, refused.Message, StringComparison.Ordinal);
        }

        Assert.True(read <= 1, $"{scenario}: {read} entries read"); // only the namespace before the hostile record
    }

    [Fact]
    public async Task ReadAsync_HeaderClaimingAGibibyte_IsRefusedWithoutAllocatingIt()
    {
        var archive = HostileArchives.BuildRaw(HostileArchives.Header("././@LongLink"u8.ToArray(), 'L', 1L << 30));
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var (_, refused) = await ReadAsync(archive);

        Assert.NotNull(refused);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 * 1024 * 1024);
    }

    [Fact]
    public async Task ReadAsync_GzipBombAtTheDefaults_IsRefusedPastTheRatio()
    {
        // Thirteen documents of 8 MiB of spaces: 104 MiB of tar from about 100 KiB of gzip.
        var spaces = Encoding.ASCII.GetBytes("{\"a\":\"" + new string(' ', ResourceArchiveReader.MaxDocumentBytes - 8) + "\"}");
        var archive = HostileArchives.Build(t =>
        {
            for (var i = 0; i < 13; i++)
            {
                HostileArchives.File(t, $"resources/core/v1/configmaps/namespaces/shop/c{i}.json", spaces);
            }
        }, level: System.IO.Compression.CompressionLevel.SmallestSize);

        var (read, refused) = await ReadAsync(archive);

        Assert.NotNull(refused);
        Assert.Contains("MaxCompressionRatio", refused.Message, StringComparison.Ordinal);
        Assert.Contains("in entry 'resources/core/v1/configmaps/namespaces/shop/c", refused.Message, StringComparison.Ordinal);
        Assert.InRange(read, 1, 9); // refused once 64 MiB came out
    }

    [Fact]
    public async Task ReadAsync_PastTheUncompressedLimit_IsRefusedNamingIt()
    {
        var archive = HostileArchives.Build(t =>
        {
            for (var i = 0; i < 40; i++)
            {
                HostileArchives.File(t, $"resources/core/v1/configmaps/namespaces/shop/c{i}.json", HostileArchives.Document(HostileArchives.ConfigMap));
            }
        });

        var (_, refused) = await ReadAsync(archive, new ArchiveLimits { MaxUncompressedBytes = 20_000 });

        Assert.NotNull(refused);
        Assert.Contains("more than 20,000 bytes (limit ArchiveLimits.MaxUncompressedBytes)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ArchiveStrataWrites_ReadsWithinTheDefaults()
    {
        using var output = new MemoryStream();
        await using (var writer = new ResourceArchiveWriter(output, DateTimeOffset.UnixEpoch))
        {
            await writer.WriteEntryAsync(HostileArchives.Namespace, HostileArchives.Document(HostileArchives.Namespace));
            for (var i = 0; i < 2_000; i++)
            {
                var path = $"resources/core/v1/configmaps/namespaces/shop/{new string('n', i % 300)}{i}.json";
                await writer.WriteEntryAsync(path, HostileArchives.Document(path));
            }

            await writer.CompleteAsync(ArtifactLayout.ResourcesArchive);
        }

        var (read, refused) = await ReadAsync(output.ToArray());

        Assert.Null(refused);
        Assert.Equal(2_001, read);
    }

    [Fact]
    public async Task ReadAsync_EscapedTextAndPairedSurrogates_Read()
    {
        var archive = HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.ConfigMap,
            "{\"metadata\":{\"name\":\"\\ud83d\\ude00 \\u0026 \\\\ud800 é\"}}"u8.ToArray()));

        var (read, refused) = await ReadAsync(archive);

        Assert.Null(refused);
        Assert.Equal(2, read);
    }

    [Fact]
    public async Task ReadAsync_PaxSizeRecord_IsFollowedToTheNextHeader()
    {
        var document = HostileArchives.Document(HostileArchives.ConfigMap);
        var record = $" size={document.Length}\n";
        record = $"{record.Length + 2}{record}";
        var pax = Encoding.ASCII.GetBytes(record);
        byte[] raw =
        [
            .. HostileArchives.Header("PaxHeaders/settings"u8.ToArray(), 'x', pax.Length), .. pax, .. new byte[512 - pax.Length],
            .. HostileArchives.Header(Encoding.ASCII.GetBytes(HostileArchives.ConfigMap), '0', 0), .. document, .. new byte[512 - document.Length],
        ];

        var (read, refused) = await ReadAsync(HostileArchives.BuildRaw(raw));

        Assert.Null(refused);
        Assert.Equal(2, read);
    }

    [Fact]
    public async Task ThrowIfNestedTooDeep_TenThousandDeep_IsRefusedAndMalformedIsNot()
    {
        var reader = new ResourceArchiveReader(Stream.Null, Artifact);
        var path = ResourceEntryPathOf(HostileArchives.ConfigMap);

        var refused = Assert.Throws<ArtifactRejectedException>(() => reader.ThrowIfNestedTooDeep(new ResourceArchiveEntry(path, HostileArchives.ConfigMap, HostileArchives.Nested(10_000))));
        Assert.Contains("deeper than 256 (limit ArchiveLimits.MaxJsonDepth)", refused.Message, StringComparison.Ordinal);
        Assert.Contains(HostileArchives.ConfigMap, refused.Message, StringComparison.Ordinal);

        reader.ThrowIfNestedTooDeep(new ResourceArchiveEntry(path, HostileArchives.ConfigMap, HostileArchives.Nested(256)));
        reader.ThrowIfNestedTooDeep(new ResourceArchiveEntry(path, HostileArchives.ConfigMap, "{\"a\": [[[ nope"u8.ToArray()));
        Assert.Throws<ArtifactRejectedException>(() => reader.ThrowIfNestedTooDeep(new ResourceArchiveEntry(path, HostileArchives.ConfigMap, HostileArchives.Nested(257))));
        await Task.CompletedTask;
    }

    private static ResourceEntryPath ResourceEntryPathOf(string path)
    {
        Assert.True(ResourceEntryPath.TryParse(path, out var parsed, out _));
        return parsed!;
    }

    private static async Task<(int Read, ArtifactRejectedException? Refused)> ReadAsync(byte[] archive, ArchiveLimits? limits = null)
    {
        var read = 0;
        try
        {
            await foreach (var _ in new ResourceArchiveReader(new MemoryStream(archive), Artifact, limits).ReadAsync())
            {
                read++;
            }

            return (read, null);
        }
        catch (ArtifactRejectedException e)
        {
            return (read, e);
        }
    }
}
