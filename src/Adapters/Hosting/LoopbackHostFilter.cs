using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Strata.Adapters.Hosting;

/// <summary>
/// The guard of a server Strata starts on a loopback address (<c>strata serve</c>, <c>strata run --metrics-port</c>): it
/// answers only requests whose Host names loopback (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>, the bound address),
/// 400 otherwise. Else a web page the operator visits could point its own name at 127.0.0.1 (DNS rebinding) and read what
/// the server shows. On any other address the Host is whatever name reaches it, and protection is a proxy's job.
/// </summary>
public static class LoopbackHostFilter
{
    /// <summary>Whether <paramref name="address"/> (an IP address, or <c>localhost</c>) is loopback, so that the filter applies.</summary>
    public static bool Applies(string address) =>
        string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The Host values a browser sends for this machine. Ports are not compared: a rebinding page names its own host.</summary>
    public static IReadOnlyList<string> Hosts(string address) =>
        [.. new[] { "localhost", "127.0.0.1", "[::1]", Authority(address) }.Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// When <paramref name="address"/> is loopback, puts the filter first in the pipeline of the app
    /// <paramref name="builder"/> builds, before any endpoint; otherwise does nothing. Returns whether it applies.
    /// </summary>
    public static bool AddTo(WebApplicationBuilder builder, string address)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!Applies(address))
        {
            return false;
        }

        var hosts = Hosts(address);
        builder.Services.AddHostFiltering(filter =>
        {
            filter.AllowedHosts = [.. hosts];
            filter.AllowEmptyHosts = false;
        });
        builder.Services.AddSingleton<IStartupFilter, First>();
        return true;
    }

    /// <summary>An address as a Host header names it (an IPv6 one in brackets).</summary>
    public static string Authority(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : address;

    /// <summary>Host filtering ahead of everything the app maps, so that a request with a foreign Host reaches no endpoint.</summary>
    private sealed class First : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseHostFiltering();
            next(app);
        };
    }
}
