using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Tests.Artifacts;
using Strata.Core.Verification;
using Strata.TestKit.Fuzzing;

namespace Strata.Core.Tests.Fuzzing;

/// <summary>
/// <see cref="ResourceArchiveReader"/> on archives mutated from a valid one: whatever the bytes, the archive reads or is
/// refused with <see cref="ArtifactRejectedException"/>, in bounded time — as restore and verification consume it.
/// </summary>
public class ResourceArchiveReaderFuzzTests
{
    private static readonly int[] HeaderFields = [0, 99, 100, 124, 130, 135, 148, 156, 157, 257, 263, 345];

    private static readonly byte[] Tar = BuildTar();

    [Fact]
    public void ReadAsync_MutatedTar_ReadsOrIsRefused() =>
        Fuzz.MutatedBytes(Tar).Sample(tar => Fuzz.CaseAsync(() => ConsumeAsync(HostileArchives.Gzip(tar)), Documented), iter: 1_500);

    [Fact]
    public void ReadAsync_MutatedTarHeaders_ReadsOrIsRefused() =>
        Fuzz.MutatedBytes(Tar, at => at % (Tar.Length / 512) * 512 + HeaderFields[at % HeaderFields.Length])
            .Sample(tar => Fuzz.CaseAsync(() => ConsumeAsync(HostileArchives.Gzip(tar)), Documented), iter: 1_500);

    [Fact]
    public void ReadAsync_MutatedGzip_ReadsOrIsRefused()
    {
        var gzip = HostileArchives.Gzip(Tar);
        Fuzz.MutatedBytes(gzip).Sample(bytes => Fuzz.CaseAsync(() => ConsumeAsync(bytes), Documented), iter: 1_500);
    }

    [Fact]
    public void ReadAsync_RandomBytes_ReadsOrIsRefused() =>
        Gen.Byte.Array[0, 4096].Sample(bytes => Fuzz.CaseAsync(() => ConsumeAsync(bytes), Documented), iter: 500);

    private static bool Documented(Exception e) => e is ArtifactRejectedException;

    /// <summary>What restore and verification do with an archive: read every entry, parse every document.</summary>
    private static async Task ConsumeAsync(byte[] archive)
    {
        var reader = new ResourceArchiveReader(new MemoryStream(archive), "fuzz/resources.tar.gz");
        await foreach (var entry in reader.ReadAsync())
        {
            try
            {
                ObjectIdentity.Read(entry.Content); // verification
            }
            catch (JsonException)
            {
                reader.ThrowIfNestedTooDeep(entry);
            }

            try
            {
                if (JsonNode.Parse(entry.Content) is JsonObject json) // restore
                {
                    var obj = new KubeObject(json);
                    _ = (obj.Kind, obj.Key, obj.Labels.Count, obj.Json.ToJsonString());
                }
            }
            catch (JsonException)
            {
                reader.ThrowIfNestedTooDeep(entry);
            }
        }

        _ = reader.Sha256Hex;
    }

    private static byte[] BuildTar()
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            HostileArchives.File(tar, HostileArchives.Namespace, HostileArchives.Document(HostileArchives.Namespace));
            HostileArchives.File(tar, HostileArchives.ConfigMap, HostileArchives.Document(HostileArchives.ConfigMap));
            HostileArchives.File(tar, "resources/core/v1/secrets/namespaces/shop/escaped.json",
                """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"escaped","namespace":"shop","labels":{"a\u0026b":"\ud83d\ude00"}},"data":{"k":"dg=="}}"""u8.ToArray());
            var longName = $"resources/core/v1/configmaps/namespaces/shop/{new string('l', 120)}.json";
            HostileArchives.File(tar, longName, HostileArchives.Document(longName));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "resources/core/v1/configmaps/namespaces/shop/pax.json")
            {
                DataStream = new MemoryStream(HostileArchives.Document("resources/core/v1/configmaps/namespaces/shop/pax.json")),
            });
        }

        return buffer.ToArray();
    }
}
