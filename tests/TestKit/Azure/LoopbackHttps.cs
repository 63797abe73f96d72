using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Strata.Sandbox.Security;

namespace Strata.TestKit.Azure;

/// <summary>
/// The fakes of Azure services run as HTTPS on a free loopback port (bearer tokens are only sent
/// over TLS), with a certificate from <see cref="SandboxCertificates"/>, every request recorded.
/// </summary>
internal static class LoopbackHttps
{
    /// <summary>Starts <paramref name="handle"/>; returns the app and its base URL.</summary>
    public static async Task<(WebApplication App, string Url)> StartAsync(SandboxCertificates certificates, RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificates.ServerCertificate)));
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync();
        return (app, app.Urls.First());
    }

    /// <summary>The request as a fake records it: method, path and query, headers (names in lower case).</summary>
    public static RecordedRequest Record(HttpRequest request) => new(
        request.Method,
        request.Path + request.QueryString,
        request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
}
