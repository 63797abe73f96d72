using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Security;

namespace Strata.TestKit.Azure;

/// <summary>
/// A Blob service that records every request and answers the write-once paths Azurite does not
/// emulate, as the REST reference says: Put Blob / Put Block List store
/// <c>x-ms-immutability-policy-until-date</c>, <c>-mode</c> and <c>x-ms-legal-hold</c>; Get Blob
/// Properties returns them; Set Blob Immutability Policy (<c>comp=immutabilityPolicies</c>) and Set
/// Blob Legal Hold (<c>comp=legalhold</c>) change them; Delete Blob of a blob under an unexpired
/// policy or a legal hold is refused with 409 <c>BlobImmutableDueToPolicy</c>. Bodies are checked
/// as the service checks them: <c>Content-MD5</c> (400 <c>Md5Mismatch</c>), and CRC64 structured
/// messages (<c>x-ms-structured-body: XSM/1.0; properties=crc64</c>, checked with System.IO.Hashing's
/// CRC-64/NVME, acknowledged in the response), which Azurite does not speak. <see cref="FailNext"/>
/// answers 503 <c>ServerBusy</c>; <see cref="LoseNextCommitResponse"/> stores a commit but answers
/// 500, as a response lost on the way looks to the client. HTTPS on loopback (bearer tokens are
/// only sent over TLS), certificate from <see cref="Certificates"/>.
/// </summary>
public sealed class RecordingBlobService : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StoredBlob> _blobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _blocks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private WebApplication _app = null!;
    private int _failNext;
    private int _loseNextCommit;

    private RecordingBlobService(SandboxCertificates certificates, TimeProvider time)
    {
        Certificates = certificates;
        _time = time;
    }

    public SandboxCertificates Certificates { get; }

    /// <summary>The account endpoint, e.g. <c>https://127.0.0.1:PORT/account</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request: method, path and query, headers.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Blobs the service treats as locked by a container-level policy it does not show per blob.</summary>
    public ConcurrentDictionary<string, bool> ContainerLocked { get; } = new(StringComparer.Ordinal);

    public static async Task<RecordingBlobService> StartAsync(TimeProvider time)
    {
        var service = new RecordingBlobService(new SandboxCertificates(time), time);
        (service._app, var url) = await LoopbackHttps.StartAsync(service.Certificates, service.HandleAsync);
        service.Endpoint = new Uri(url + "/account");
        return service;
    }

    /// <summary>Answer the next <paramref name="count"/> requests with 503 <c>ServerBusy</c>.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>Store the next Put Blob or Put Block List, but answer it 500 <c>InternalError</c>.</summary>
    public void LoseNextCommitResponse() => Interlocked.Exchange(ref _loseNextCommit, 1);

    /// <summary>The stored content of a blob ("container/blob"), or null.</summary>
    public byte[]? Content(string path) => _blobs.TryGetValue(path, out var blob) ? blob.Content : null;

    /// <summary>The stored immutability state of a blob ("container/blob").</summary>
    public (DateTimeOffset? Until, string? Mode, bool LegalHold)? Lock(string path) =>
        _blobs.TryGetValue(path, out var blob) ? (blob.Until, blob.Mode, blob.LegalHold) : null;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Certificates.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(LoopbackHttps.Record(request));
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            await Error(context, 503, "ServerBusy");
            return;
        }

        var segments = request.Path.Value!.Trim('/').Split('/', 3);
        var comp = request.Query["comp"].ToString();
        if (segments.Length == 2 && request.Query["restype"] == "container" && request.Method == "PUT")
        {
            context.Response.StatusCode = 201;
            return;
        }

        if (segments.Length < 3)
        {
            await Error(context, 400, "InvalidUri");
            return;
        }

        var path = segments[1] + "/" + Uri.UnescapeDataString(segments[2]);
        _blobs.TryGetValue(path, out var blob);
        switch (request.Method, comp)
        {
            case ("HEAD", ""):
                if (blob is null)
                {
                    await Error(context, 404, "BlobNotFound");
                    return;
                }

                Describe(context.Response, blob);
                context.Response.ContentLength = blob.Content.Length;
                return;
            case ("GET", ""):
                if (blob is null)
                {
                    await Error(context, 404, "BlobNotFound");
                    return;
                }

                Describe(context.Response, blob);
                var (from, to, ranged) = Range(request, blob.Content.Length);
                if (ranged)
                {
                    context.Response.StatusCode = 206;
                    context.Response.Headers.ContentRange = $"bytes {from}-{to}/{blob.Content.Length}";
                }

                context.Response.ContentLength = to - from + 1;

                await context.Response.Body.WriteAsync(blob.Content.AsMemory((int)from, (int)(to - from + 1)));
                return;
            case ("PUT", "block"):
                if (await CheckedBody(context) is not { } block)
                {
                    return;
                }

                _blocks.GetOrAdd(path, _ => new(StringComparer.Ordinal))[request.Query["blockid"]!] = block;
                context.Response.StatusCode = 201;
                return;
            case ("PUT", "" or "blocklist"):
                if (blob is not null && request.Headers.IfNoneMatch == "*")
                {
                    await Error(context, 409, "BlobAlreadyExists");
                    return;
                }

                if (await CheckedBody(context) is not { } body)
                {
                    return;
                }

                var content = comp == "" ? body : Assemble(path, System.Text.Encoding.UTF8.GetString(body).TrimStart('\uFEFF'));
                _blobs[path] = new StoredBlob(content, request.Headers["x-ms-meta-sha256"].ToString(), ParseDate(request.Headers["x-ms-immutability-policy-until-date"]),
                    request.Headers["x-ms-immutability-policy-mode"].ToString() is { Length: > 0 } mode ? mode : null,
                    request.Headers["x-ms-legal-hold"] == "true");
                if (Interlocked.Exchange(ref _loseNextCommit, 0) == 1)
                {
                    await Error(context, 500, "InternalError");
                    return;
                }

                context.Response.Headers.ETag = "\"0x1\"";
                context.Response.StatusCode = 201;
                return;
            case ("PUT", "immutabilityPolicies") when blob is not null:
                blob.Until = ParseDate(request.Headers["x-ms-immutability-policy-until-date"]);
                blob.Mode = request.Headers["x-ms-immutability-policy-mode"].ToString();
                context.Response.Headers["x-ms-immutability-policy-until-date"] = request.Headers["x-ms-immutability-policy-until-date"];
                context.Response.Headers["x-ms-immutability-policy-mode"] = blob.Mode.ToLowerInvariant();
                context.Response.StatusCode = 200;
                return;
            case ("PUT", "legalhold") when blob is not null:
                blob.LegalHold = request.Headers["x-ms-legal-hold"] == "true";
                context.Response.Headers["x-ms-legal-hold"] = blob.LegalHold ? "true" : "false";
                context.Response.StatusCode = 200;
                return;
            case ("DELETE", ""):
                if (blob is null)
                {
                    await Error(context, 404, "BlobNotFound");
                    return;
                }

                if (blob.LegalHold || blob.Until > _time.GetUtcNow() || ContainerLocked.ContainsKey(path))
                {
                    await Error(context, 409, "BlobImmutableDueToPolicy");
                    return;
                }

                _blobs.TryRemove(path, out _);
                context.Response.StatusCode = 202;
                return;
            default:
                await Error(context, blob is null ? 404 : 400, blob is null ? "BlobNotFound" : "UnsupportedHttpVerb");
                return;
        }
    }

    private static void Describe(HttpResponse response, StoredBlob blob)
    {
        response.Headers.ETag = "\"0x1\"";
        response.Headers["x-ms-meta-sha256"] = blob.Sha256;
        if (blob.Until is { } until)
        {
            response.Headers["x-ms-immutability-policy-until-date"] = until.ToString("R", CultureInfo.InvariantCulture);
            response.Headers["x-ms-immutability-policy-mode"] = blob.Mode?.ToLowerInvariant();
        }

        response.Headers["x-ms-legal-hold"] = blob.LegalHold ? "true" : "false";
    }

    private byte[] Assemble(string path, string blockList)
    {
        var blocks = _blocks.GetValueOrDefault(path) ?? new();
        using var content = new MemoryStream();
        foreach (var id in System.Xml.Linq.XDocument.Parse(blockList).Root!.Elements().Select(e => e.Value))
        {
            content.Write(blocks[id]);
        }

        return content.ToArray();
    }

    /// <summary><c>x-ms-range</c> (or <c>Range</c>) <c>bytes=from-[to]</c>, clamped to the blob.</summary>
    private static (long From, long To, bool Ranged) Range(HttpRequest request, long length)
    {
        var header = request.Headers["x-ms-range"].ToString() is { Length: > 0 } range ? range : request.Headers.Range.ToString();
        if (!header.StartsWith("bytes=", StringComparison.Ordinal))
        {
            return (0, length - 1, false);
        }

        var parts = header[6..].Split('-');
        var from = long.Parse(parts[0], CultureInfo.InvariantCulture);
        var to = parts[1].Length > 0 ? Math.Min(long.Parse(parts[1], CultureInfo.InvariantCulture), length - 1) : length - 1;
        return (from, to, true);
    }

    private static DateTimeOffset? ParseDate(string? text) =>
        string.IsNullOrEmpty(text) ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>The body, its checksum checked as the service does; null after answering 400.</summary>
    private static async Task<byte[]?> CheckedBody(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (context.Request.Headers["x-ms-structured-body"].ToString() is { Length: > 0 } structured)
        {
            if (!structured.StartsWith("XSM/1.0", StringComparison.Ordinal) || StructuredMessage.Decode(body) is not { } decoded)
            {
                await Error(context, 400, "Crc64Mismatch");
                return null;
            }

            context.Response.Headers["x-ms-structured-body"] = structured;
            return decoded;
        }

        if (context.Request.Headers.ContentMD5.ToString() is { Length: > 0 } md5
            && md5 != Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(body)))
        {
            await Error(context, 400, "Md5Mismatch");
            return null;
        }

        return body;
    }

    private static async Task Error(HttpContext context, int status, string code)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = code;
        if (context.Request.Method != "HEAD")
        {
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{code}\nRequestId:0\nTime:0</Message></Error>");
        }
    }

    private sealed class StoredBlob(byte[] content, string sha256, DateTimeOffset? until, string? mode, bool legalHold)
    {
        public byte[] Content { get; } = content;

        public string Sha256 { get; } = sha256;

        public DateTimeOffset? Until { get; set; } = until;

        public string? Mode { get; set; } = mode;

        public bool LegalHold { get; set; } = legalHold;
    }
}

/// <summary>One request as the fake service saw it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers);
