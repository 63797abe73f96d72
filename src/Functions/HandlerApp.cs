using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Functions;

/// <summary>
/// The Azure Functions custom handler: an HTTP server on <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> to
/// which the host POSTs each invocation at <c>/{function}</c>. Each endpoint is thin: read the
/// host's payload, run the Core function, answer <c>Outputs</c> (one Service Bus message per array
/// element), <c>Logs</c> and <c>ReturnValue</c>. A failure answers 500, so the host sends nothing
/// and redelivers the message; messages that can never succeed are completed (recorded as rejected).
/// </summary>
public static class HandlerApp
{
    // Bodies are application/json, never HTML: quotes and apostrophes stay readable.
    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Builds the server. <paramref name="context"/> supplies the control plane (default: from app settings, once, on first
    /// use); <paramref name="authorization"/> says who may run the HTTP functions (default: from app settings, now).
    /// </summary>
    public static WebApplication Build(string[] args, Func<CancellationToken, Task<ControlPlaneContext>>? context = null, RequestAuthorization? authorization = null)
    {
        var access = authorization ?? RequestAuthorization.FromSettings(Environment.GetEnvironmentVariable);
        var builder = WebApplication.CreateSlimBuilder(args);
        var port = Environment.GetEnvironmentVariable(AppSettings.CustomHandlerPort)
            ?? Environment.GetEnvironmentVariable(AppSettings.HttpWorkerPort);
        if (port is not null)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var controlPlane = new ControlPlaneSource(context ?? (ct => FromSettingsAsync(Environment.GetEnvironmentVariable, ct)));
        Adapters.Telemetry.AzureMonitorTelemetry.AddAzureMonitor(builder.Services, Environment.GetEnvironmentVariable, controlPlane.GetAsync);
        var app = builder.Build();
        foreach (var function in FunctionCatalog.All)
        {
            app.MapPost("/" + function.Name, (HttpRequest request, CancellationToken cancellationToken) => InvokeAsync(function, request, controlPlane, access, cancellationToken));
        }

        return app;
    }

    /// <summary>The control plane the app settings describe (<paramref name="setting"/> reads them), as the app runs it.</summary>
    internal static async Task<ControlPlaneContext> FromSettingsAsync(Func<string, string?> setting, CancellationToken cancellationToken)
    {
        var home = setting(AppSettings.Home) ?? Path.Combine(Path.GetTempPath(), "strata");
        var location = StoreLocation.Resolve(null, null, null, setting, home);
        var (context, _) = await ControlPlaneFactory.CreateAsync(null, location, setting, TimeProvider.System, cancellationToken: cancellationToken);

        // A Functions app runs no etcd processes: its etcd rebuild drills check the snapshot's integrity only, and say so.
        return context with { EtcdRehearsals = NoEtcdTools.Instance };
    }

    private static async Task<IResult> InvokeAsync(
        FunctionDefinition function, HttpRequest request, ControlPlaneSource source, RequestAuthorization authorization, CancellationToken cancellationToken)
    {
        JsonObject payload;
        try
        {
            payload = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject
                ?? throw new JsonException("the invocation request is not a JSON object");
        }
        catch (JsonException e)
        {
            return Results.Json(new HandlerResponse(new Dictionary<string, object?>(), [$"{function.Name}: unreadable invocation request: {e.Message}"]), statusCode: 400);
        }

        try
        {
            if (function.Trigger == TriggerKind.Http && HttpFunctions.Get(function.Name) is { Probe: true } probe)
            {
                return await ProbeAsync(probe, source, payload, cancellationToken);
            }

            // Authorized before anything is read or loaded: a refused caller learns nothing about the configuration.
            var http = function.Trigger == TriggerKind.Http ? HostPayload.Http(payload) : null;
            var caller = http is null ? null : authorization.Authorize(function, http);
            if (caller is { Allowed: false })
            {
                return Results.Json(new HandlerResponse(
                    new Dictionary<string, object?> { ["res"] = HttpResponse(caller.Status, caller.Problem!, Problems.ContentType) },
                    [$"{function.Name}: refused ({caller.Status}): {caller.Problem!["title"]}"]));
            }

            var context = await source.GetAsync(cancellationToken);
            var (result, response) = function.Trigger switch
            {
                TriggerKind.Timer => (await RunTimerAsync(function, context, cancellationToken), null),
                TriggerKind.Queue => (await RunQueueAsync(function, context, HostPayload.QueueMessage(payload, function.Source, function.TriggerBinding), cancellationToken), null),
                _ => await RunHttpAsync(function, context, http!, caller!, cancellationToken),
            };
            return Results.Json(Respond(function, result, response));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Transient (storage unavailable, configuration unreadable): the host abandons the
            // message and redelivers it; outputs are not sent.
            return Results.Json(new HandlerResponse(new Dictionary<string, object?>(), [$"{function.Name} failed: {e.Message}"]), statusCode: 500);
        }
    }

    private static Task<FunctionResult> RunTimerAsync(FunctionDefinition function, ControlPlaneContext context, CancellationToken cancellationToken) =>
        ControlPlaneFunctions.Timer.Single(t => t.Name == function.Name).RunAsync(context, cancellationToken);

    // A rejected message is completed, not failed: the Functions host cannot dead-letter with a reason,
    // and redelivering it would only fail again. It is recorded and alerted (FunctionResult.Rejection).
    private static Task<FunctionResult> RunQueueAsync(FunctionDefinition function, ControlPlaneContext context, InboundMessage message, CancellationToken cancellationToken) =>
        ControlPlaneFunctions.Queue.Single(q => q.Name == function.Name).HandleAsync(context, message, cancellationToken);

    // The row's own code answers, as it does under 'strata serve'.
    private static async Task<(FunctionResult, JsonObject)> RunHttpAsync(
        FunctionDefinition function, ControlPlaneContext context, HttpInvocation http, AuthorizationOutcome caller, CancellationToken cancellationToken)
    {
        var answer = await HttpFunctions.Get(function.Name).Answer(Call(context, http, caller), cancellationToken);
        return (answer.Result, HttpResponse(answer.Status, answer.Body, answer.Headers));
    }

    private static HttpCall Call(ControlPlaneContext context, HttpInvocation http, AuthorizationOutcome? caller) =>
        new(context, http.Body, http.Headers, http.Query, caller is { Identity: { } identity } ? new HttpCaller(identity, caller.RequestedBy) : null);

    // A probe answers before authorization, and answers 503 with the reason when the control plane does not load.
    private static async Task<IResult> ProbeAsync(HttpFunction probe, ControlPlaneSource source, JsonObject payload, CancellationToken cancellationToken)
    {
        ControlPlaneContext context;
        try
        {
            context = await source.GetAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var unhealthy = HttpFunctions.Health(healthy: false, e.Message);
            return Results.Json(new HandlerResponse(new Dictionary<string, object?> { ["res"] = HttpResponse(unhealthy.Status, unhealthy.Body, unhealthy.Headers) }));
        }

        var answer = await probe.Answer(Call(context, HostPayload.Http(payload), caller: null), cancellationToken);
        return Results.Json(new HandlerResponse(new Dictionary<string, object?> { ["res"] = HttpResponse(answer.Status, answer.Body, answer.Headers) }));
    }

    private static HandlerResponse Respond(FunctionDefinition function, FunctionResult result, JsonObject? http)
    {
        var outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var byQueue = result.ByQueue;
        foreach (var queue in byQueue.Select(g => g.Key))
        {
            if (!function.Sends.Contains(queue))
            {
                throw new InvalidOperationException($"{function.Name} produced a message for {queue}, which it has no binding for");
            }
        }

        foreach (var queue in function.Sends)
        {
            outputs[FunctionDefinition.BindingFor(queue)] = new JsonArray(byQueue[queue].Select(m => (JsonNode)MessageCodec.ToJson(m)).ToArray());
        }

        if (http is not null)
        {
            outputs["res"] = http;
        }

        return new HandlerResponse(outputs, result.Logs);
    }

    private static JsonObject HttpResponse(int status, JsonNode body, string contentType = "application/json") => new()
    {
        ["statusCode"] = status,
        ["headers"] = status == 401
            ? new JsonObject { ["Content-Type"] = contentType, ["WWW-Authenticate"] = "Bearer" }
            : new JsonObject { ["Content-Type"] = contentType },
        ["body"] = body.ToJsonString(BodyJson),
    };

    // The status page: its body is the document itself, and its headers (CSP among them) go out as the page asks.
    private static JsonObject HttpResponse(int status, string body, IReadOnlyDictionary<string, string> headers) => new()
    {
        ["statusCode"] = status,
        ["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))),
        ["body"] = body,
    };

    /// <summary>The control plane, built once on first use; a failed build is retried on the next invocation.</summary>
    private sealed class ControlPlaneSource(Func<CancellationToken, Task<ControlPlaneContext>> create)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private ControlPlaneContext? _context;

        public async Task<ControlPlaneContext> GetAsync(CancellationToken cancellationToken)
        {
            if (_context is { } ready)
            {
                return ready;
            }

            await _gate.WaitAsync(cancellationToken);
            try
            {
                return _context ??= await create(cancellationToken);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}

/// <summary>The response document the Functions host reads: outputs by binding name, logs, return value.</summary>
public sealed record HandlerResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string>? Logs = null,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue = null);
