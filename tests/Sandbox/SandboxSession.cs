using System.Text.Json.Nodes;
using Strata.TestKit;

namespace Strata.Sandbox.Tests;

/// <summary>
/// A sandbox on a clock the test moves (its timers poll on real time, so a controller delay ends
/// only when the test moves the clock past it), a raw HTTP client, and polling for what the
/// controllers do in the background.
/// </summary>
internal sealed class SandboxSession : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SandboxSession(SandboxApiServer server, ManualClock clock)
    {
        Server = server;
        Clock = clock;
        Http = SandboxHttp.Create(server, server.AdminToken);
    }

    public SandboxApiServer Server { get; }

    public ManualClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<SandboxSession> StartAsync(SandboxOptions options, params string[] namespaces)
    {
        // Now, so the sandbox's certificates are valid for the client's real clock.
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var server = await SandboxApiServer.StartAsync(options with { Time = clock });
        foreach (var ns in namespaces)
        {
            server.CreateNamespace(ns);
        }

        return new SandboxSession(server, clock);
    }

    public Task<(int Status, JsonObject Body)> GetAsync(string path) => Http.GetJsonAsync(path);

    public Task<(int Status, JsonObject Body)> PostAsync(string path, JsonNode body) => Http.SendJsonAsync(HttpMethod.Post, path, body);

    public Task<(int Status, JsonObject Body)> PutAsync(string path, JsonNode body) => Http.SendJsonAsync(HttpMethod.Put, path, body);

    public Task<(int Status, JsonObject Body)> MergePatchAsync(string path, JsonNode body) =>
        Http.SendJsonAsync(HttpMethod.Patch, path, body, "application/merge-patch+json");

    public async Task<(int Status, JsonObject Body)> DeleteAsync(string path)
    {
        using var response = await Http.DeleteAsync(path);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>GETs <paramref name="path"/> until <paramref name="done"/> holds (or fails after a generous wait).</summary>
    public async Task<(int Status, JsonObject Body)> UntilAsync(string path, Func<int, JsonObject, bool> done)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var (status, body) = await GetAsync(path);
            if (done(status, body))
            {
                return (status, body);
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                Assert.Fail($"GET {path} never got there; last answer {status}: {body.ToJsonString()}");
            }

            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
