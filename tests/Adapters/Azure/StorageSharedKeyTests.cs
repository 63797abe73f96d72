using System.Security.Cryptography;
using System.Text;
using Strata.Adapters.Azure;

namespace Strata.Adapters.Tests.Azure;

/// <summary>The string-to-sign rules, checked against the worked examples of "Authorize with Shared Key".</summary>
public sealed class StorageSharedKeyTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("not-a-real-key-0123456789");
    private static readonly StorageSharedKey SharedKey = new("myaccount", Key);

    private static Func<string, string?> Headers(Dictionary<string, string> headers) =>
        name => headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    [Fact]
    public void BlobStringToSign_ContainerMetadataExample_MatchesTheDocumentation()
    {
        // The reference's example: GET ...mycontainer?restype=container&comp=metadata
        // → canonicalized resource "/myaccount/mycontainer\ncomp:metadata\nrestype:container".
        var headers = new Dictionary<string, string> { ["x-ms-date"] = "Fri, 26 Jun 2015 23:39:12 GMT", ["x-ms-version"] = "2015-02-21" };
        var text = SharedKey.BlobStringToSign(
            "GET", new Uri("https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20"),
            Headers(headers), headers.Keys, 0);

        Assert.Equal(
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20",
            text);
    }

    [Fact]
    public void BlobStringToSign_RepeatedQueryParameters_AreJoinedSortedWithCommas()
    {
        // The reference's example: ...?restype=container&comp=list&include=snapshots&include=metadata&include=uncommittedblobs.
        var text = SharedKey.BlobStringToSign(
            "GET", new Uri("https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=list&include=snapshots&include=metadata&include=uncommittedblobs"),
            _ => null, [], 0);

        Assert.EndsWith("/myaccount/mycontainer\ncomp:list\ninclude:metadata,snapshots,uncommittedblobs\nrestype:container", text);
    }

    [Fact]
    public void BlobStringToSign_StandardAndCanonicalHeaders_InTheirPlaces()
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-MD5"] = "Q2hlY2sgSW50ZWdyaXR5IQ==",
            ["Content-Type"] = "application/octet-stream",
            ["If-None-Match"] = "*",
            ["x-ms-Meta-Sha256"] = "  ab   cd ",
            ["x-ms-blob-type"] = "BlockBlob",
            ["x-ms-date"] = "Sun, 20 Sep 2009 20:36:40 GMT",
        };
        var text = SharedKey.BlobStringToSign("PUT", new Uri("https://myaccount.blob.core.windows.net/c/dir/my%20blob.txt"), Headers(headers), headers.Keys, 11);

        Assert.Equal(
            "PUT\n\n\n11\nQ2hlY2sgSW50ZWdyaXR5IQ==\napplication/octet-stream\n\n\n\n*\n\n\n" +
            "x-ms-blob-type:BlockBlob\nx-ms-date:Sun, 20 Sep 2009 20:36:40 GMT\nx-ms-meta-sha256:ab cd\n/myaccount/c/dir/my%20blob.txt",
            text);
    }

    [Fact]
    public void TableStringToSign_KeepsOnlyComp_AndUsesXmsDate()
    {
        Dictionary<string, string> headers = new() { ["Content-Type"] = "application/json", ["x-ms-date"] = "Wed, 21 Nov 2026 10:00:00 GMT" };
        var text = SharedKey.TableStringToSign("GET", new Uri("https://myaccount.table.core.windows.net/mytable()?$filter=a%20eq%201&comp=metadata"), Headers(headers));

        Assert.Equal("GET\n\napplication/json\nWed, 21 Nov 2026 10:00:00 GMT\n/myaccount/mytable()?comp=metadata", text);
    }

    [Fact]
    public void Authorization_IsHmacSha256OfTheStringToSign()
    {
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes("text")));

        Assert.Equal($"SharedKey myaccount:{expected}", SharedKey.Authorization("text"));
    }
}
