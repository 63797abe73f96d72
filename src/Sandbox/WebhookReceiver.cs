using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Strata.Sandbox.Security;

namespace Strata.Sandbox;

/// <summary>
/// A stand-in for on-call's webhook endpoint, for <c>strata demo</c>: HTTPS on a free loopback port with its own CA
/// (<see cref="CreateHandler"/> trusts it, and only it), answering 200 to every POST and handing each delivery's
/// headers (names in lower case) and body to the caller. Never used against production.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly SandboxCertificates _certificates;
    private WebApplication _app = null!;

    private WebhookReceiver(SandboxCertificates certificates) => _certificates = certificates;

    /// <summary>The base URL, <c>https://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Starts a receiver that calls <paramref name="delivered"/> for every request.</summary>
    public static async Task<WebhookReceiver> StartAsync(
        Func<IReadOnlyDictionary<string, string>, string, Task> delivered, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var receiver = new WebhookReceiver(new SandboxCertificates(time ?? TimeProvider.System));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(receiver._certificates.ServerCertificate)));
        receiver._app = builder.Build();
        receiver._app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            await delivered(headers, body);
            await context.Response.WriteAsync("ok", context.RequestAborted);
        });
        await receiver._app.StartAsync(cancellationToken);
        receiver.BaseUrl = new Uri(receiver._app.Urls.First());
        return receiver;
    }

    /// <summary>The URL of <paramref name="path"/> on the receiver.</summary>
    public Uri Url(string path) => new(BaseUrl, path);

    /// <summary>An HTTP handler that trusts the receiver's CA, and only it.</summary>
    public HttpMessageHandler CreateHandler() => _certificates.CreateTrustingHandler();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificates.Dispose();
    }
}
