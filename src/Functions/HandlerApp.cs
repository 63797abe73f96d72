using System.Text.Json.Serialization;

namespace Strata.Functions;

/// <summary>
/// The Azure Functions custom handler: an HTTP server on <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>
/// to which the Functions host POSTs each invocation. A skeleton for now: the health function.
/// The timer and Service Bus functions arrive with the control-plane issue.
/// </summary>
public static class HandlerApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var port = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT")
            ?? Environment.GetEnvironmentVariable("FUNCTIONS_HTTPWORKER_PORT");
        if (port is not null)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        var app = builder.Build();
        app.MapPost("/health", () => Results.Json(new HandlerResponse(new Dictionary<string, object?>
        {
            ["res"] = new { statusCode = 200, body = "ok" },
        })));
        return app;
    }
}

/// <summary>The response document the Functions host reads: outputs by binding name, logs, return value.</summary>
public sealed record HandlerResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string>? Logs = null,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue = null);
