using System.Globalization;
using System.Xml;
using global::Azure.Core;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// The Blob service operations Strata uses on one container, each a documented REST call:
/// Create Container, Put Blob, Put Block, Put Block List, Get Blob (ranged), Get Blob Properties,
/// List Blobs, Delete Blob, Set Blob Immutability Policy, Set Blob Legal Hold, Get Blob Service Stats.
/// </summary>
internal sealed class BlobContainer
{
    private readonly StoragePipeline _pipeline;

    public BlobContainer(StoragePipeline pipeline, string name)
    {
        _pipeline = pipeline;
        Name = name;
        Url = new Uri(pipeline.Endpoints.Primary.AbsoluteUri.TrimEnd('/') + "/" + name);
    }

    public string Name { get; }

    public Uri Url { get; }

    public StorageClientOptions Options => _pipeline.Options;

    /// <summary>Create Container; an existing container is fine.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, new Uri(Url + "?restype=container"));
        await _pipeline.SendAsync(message, "Create Container", Name, cancellationToken, 201, 409);
    }

    /// <summary>Put Blob, refusing to overwrite (<c>If-None-Match: *</c>).</summary>
    public async Task PutBlobAsync(string blob, ReadOnlyMemory<byte> content, BlobCommit commit, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, BlobUri(blob));
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.SetValue("Content-MD5", Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(content.Span)));
        commit.Apply(message.Request);
        message.Request.Content = RequestContent.Create(content);
        await _pipeline.SendAsync(message, "Put Blob", Resource(blob), cancellationToken, 201);
    }

    /// <summary>Put Block with the block's MD5, which the service checks.</summary>
    public async Task PutBlockAsync(string blob, string blockId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, BlobUri(blob, $"comp=block&blockid={Uri.EscapeDataString(blockId)}"));
        message.Request.Headers.SetValue("Content-MD5", Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(content.Span)));
        message.Request.Content = RequestContent.Create(content);
        await _pipeline.SendAsync(message, "Put Block", Resource(blob), cancellationToken, 201);
    }

    /// <summary>Put Block List: commits the blocks, in order, refusing to overwrite.</summary>
    public async Task PutBlockListAsync(string blob, IReadOnlyList<string> blockIds, BlobCommit commit, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        using (var xml = XmlWriter.Create(body, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) }))
        {
            xml.WriteStartElement("BlockList");
            foreach (var id in blockIds)
            {
                xml.WriteElementString("Latest", id);
            }

            xml.WriteEndElement();
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Put, BlobUri(blob, "comp=blocklist"));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        commit.Apply(message.Request);
        message.Request.Content = RequestContent.Create(body.ToArray());
        await _pipeline.SendAsync(message, "Put Block List", Resource(blob), cancellationToken, 201);
    }

    /// <summary>Get Blob from <paramref name="offset"/> on; the response body is the open connection.</summary>
    public async Task<BlobDownload?> GetAsync(string blob, long offset, string? ifMatch, CancellationToken cancellationToken)
    {
        var message = _pipeline.CreateMessage(RequestMethod.Get, BlobUri(blob));
        message.BufferResponse = false;
        if (offset > 0)
        {
            message.Request.Headers.SetValue("x-ms-range", $"bytes={offset}-");
        }

        if (ifMatch is not null)
        {
            message.Request.Headers.SetValue("If-Match", ifMatch);
        }

        try
        {
            var response = await _pipeline.SendAsync(message, "Get Blob", Resource(blob), cancellationToken, 200, 206, 404);
            if (response.Status == 404)
            {
                message.Dispose();
                return null;
            }

            var length = response.Status == 206 && response.Headers.TryGetValue("Content-Range", out var range)
                ? long.Parse(range[(range.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture)
                : response.Headers.ContentLength ?? 0;
            return new BlobDownload(message, response.ContentStream ?? Stream.Null, length, (response.Headers.TryGetValue("ETag", out var etag) ? etag : ""));
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>Get Blob Properties, or null when there is no such blob.</summary>
    public async Task<BlobProperties?> GetPropertiesAsync(string blob, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Head, BlobUri(blob));
        var response = await _pipeline.SendAsync(message, "Get Blob Properties", Resource(blob), cancellationToken, 200, 404);
        return response.Status == 404 ? null : BlobProperties.From(response);
    }

    /// <summary>List Blobs: one page from <paramref name="marker"/>.</summary>
    public async Task<BlobPage> ListAsync(string prefix, string? marker, int maxResults, CancellationToken cancellationToken)
    {
        var query = $"restype=container&comp=list&prefix={Uri.EscapeDataString(prefix)}&maxresults={maxResults}";
        if (!string.IsNullOrEmpty(marker))
        {
            query += "&marker=" + Uri.EscapeDataString(marker);
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Get, new Uri($"{Url}?{query}"));
        var response = await _pipeline.SendAsync(message, "List Blobs", Name + "/" + prefix, cancellationToken, 200);
        return BlobPage.Read(response.ContentStream!);
    }

    /// <summary>Delete Blob: true when deleted, false when there was none; a lock surfaces as the service's 409.</summary>
    public async Task<bool> DeleteAsync(string blob, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, BlobUri(blob));
        var response = await _pipeline.SendAsync(message, "Delete Blob", Resource(blob), cancellationToken, 202, 404);
        return response.Status == 202;
    }

    /// <summary>Set Blob Immutability Policy (version-level WORM; the blob must be committed).</summary>
    public async Task SetImmutabilityPolicyAsync(string blob, DateTimeOffset until, ImmutabilityMode mode, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, BlobUri(blob, "comp=immutabilityPolicies"));
        message.Request.Headers.SetValue("x-ms-immutability-policy-until-date", until.ToString("R", CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("x-ms-immutability-policy-mode", mode.ToHeader());
        await _pipeline.SendAsync(message, "Set Blob Immutability Policy", Resource(blob), cancellationToken, 200);
    }

    /// <summary>Set Blob Legal Hold.</summary>
    public async Task SetLegalHoldAsync(string blob, bool hold, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, BlobUri(blob, "comp=legalhold"));
        message.Request.Headers.SetValue("x-ms-legal-hold", hold ? "true" : "false");
        await _pipeline.SendAsync(message, "Set Blob Legal Hold", Resource(blob), cancellationToken, 200);
    }

    /// <summary>Get Blob Service Stats, which only the secondary endpoint answers.</summary>
    public async Task<GeoReplication> GetReplicationAsync(CancellationToken cancellationToken)
    {
        var secondary = _pipeline.Endpoints.Secondary
            ?? throw new InvalidOperationException($"the account of container '{Name}' has no read-access secondary endpoint");
        using var message = _pipeline.CreateMessage(RequestMethod.Get, new Uri(secondary.AbsoluteUri.TrimEnd('/') + "/?restype=service&comp=stats"));
        SecondaryReadPolicy.Pin(message);
        var response = await _pipeline.SendAsync(message, "Get Blob Service Stats", secondary.Host, cancellationToken, 200);
        return GeoReplication.Read(response.ContentStream!);
    }

    private Uri BlobUri(string blob, string? query = null)
    {
        var path = string.Join('/', blob.Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{Url}/{path}" + (query is null ? "" : "?" + query));
    }

    private string Resource(string blob) => Name + "/" + blob;
}

/// <summary>An open Get Blob response: the body stream, the blob's full length and ETag.</summary>
internal sealed class BlobDownload(HttpMessage message, Stream body, long length, string etag) : IDisposable
{
    public Stream Body { get; } = body;

    public long Length { get; } = length;

    public string ETag { get; } = etag;

    public void Dispose()
    {
        Body.Dispose();
        message.Dispose();
    }
}
