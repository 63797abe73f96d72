using System.Text.Json.Nodes;
using Strata.Core.ControlPlane;

namespace Strata.Functions;

/// <summary>How a function is triggered.</summary>
public enum TriggerKind
{
    /// <summary>A timer (NCRONTAB, six fields, UTC unless WEBSITE_TIME_ZONE says otherwise).</summary>
    Timer,

    /// <summary>A Service Bus queue (PeekLock: completed on success, abandoned on failure).</summary>
    Queue,

    /// <summary>An HTTP request.</summary>
    Http,
}

/// <summary>
/// One function: its trigger and the queues it sends to. The handler's endpoints, the host's
/// <c>function.json</c> files and the local runner all come from this one definition.
/// </summary>
/// <param name="Name">The function's name (the folder and the path the host POSTs to).</param>
/// <param name="Trigger">Timer, queue or HTTP.</param>
/// <param name="Source">The timer schedule, the queue name, or the HTTP route.</param>
/// <param name="Sends">Queues it sends to (each a Service Bus output binding named after the queue).</param>
/// <param name="HttpMethod">For HTTP functions: the method.</param>
/// <param name="Anonymous">For HTTP functions: no function key needed.</param>
/// <param name="Role">
/// For HTTP functions that start work: the Entra ID app role (<see cref="AppRoles"/>) a caller needs when App Service
/// Authentication is on (<see cref="RequestAuthorization"/>); null: a function key is enough.
/// </param>
public sealed record FunctionDefinition(
    string Name, TriggerKind Trigger, string Source, IReadOnlyList<string> Sends, string HttpMethod = "get", bool Anonymous = false, string? Role = null)
{
    /// <summary>The name of the trigger binding.</summary>
    public string TriggerBinding => Trigger switch
    {
        TriggerKind.Timer => "timer",
        TriggerKind.Queue => "message",
        _ => "req",
    };

    /// <summary>The output binding that sends to <paramref name="queue"/>.</summary>
    public static string BindingFor(string queue) => queue["strata-".Length..];

    /// <summary>The <c>function.json</c> document.</summary>
    public JsonObject FunctionJson()
    {
        var bindings = new JsonArray();
        bindings.Add(Trigger switch
        {
            TriggerKind.Timer => new JsonObject { ["type"] = "timerTrigger", ["direction"] = "in", ["name"] = TriggerBinding, ["schedule"] = Source, ["runOnStartup"] = false, ["useMonitor"] = true },
            TriggerKind.Queue => new JsonObject
            {
                ["type"] = "serviceBusTrigger", ["direction"] = "in", ["name"] = TriggerBinding, ["queueName"] = Source,
                ["connection"] = FunctionCatalog.ServiceBusConnection, ["isSessionsEnabled"] = false,
            },
            _ => new JsonObject
            {
                ["type"] = "httpTrigger", ["direction"] = "in", ["name"] = TriggerBinding, ["route"] = Source,
                ["methods"] = new JsonArray(HttpMethod), ["authLevel"] = Anonymous ? "anonymous" : "function",
            },
        });
        if (Trigger == TriggerKind.Http)
        {
            bindings.Add(new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" });
        }

        foreach (var queue in Sends)
        {
            bindings.Add(new JsonObject
            {
                ["type"] = "serviceBus", ["direction"] = "out", ["name"] = BindingFor(queue), ["queueName"] = queue,
                ["connection"] = FunctionCatalog.ServiceBusConnection,
            });
        }

        return new JsonObject { ["bindings"] = bindings };
    }
}

/// <summary>Every function of the app, <c>host.json</c>, and the deployable layout.</summary>
public static class FunctionCatalog
{
    /// <summary>
    /// The app-setting prefix of the Service Bus connection: <c>StrataServiceBus__fullyQualifiedNamespace</c>
    /// for the app's managed identity (or <c>StrataServiceBus</c> as a connection string).
    /// </summary>
    public const string ServiceBusConnection = "StrataServiceBus";

    /// <summary>The handler executable's name.</summary>
    public const string Executable = "Strata.Functions";

    /// <summary>
    /// The functions: every row of Core's <see cref="ControlPlaneFunctions"/> tables (trigger, queues it sends to), and every
    /// row of <see cref="HttpFunctions"/> (route, method, access, role), which <c>strata serve</c> reads too.
    /// </summary>
    public static IReadOnlyList<FunctionDefinition> All { get; } =
    [
        .. ControlPlaneFunctions.Timer.Select(t => new FunctionDefinition(t.Name, TriggerKind.Timer, t.Schedule, t.Sends)),
        .. ControlPlaneFunctions.Queue.Select(q => new FunctionDefinition(q.Name, TriggerKind.Queue, q.Queue, q.Sends)),
        .. HttpFunctions.All.Select(h => new FunctionDefinition(h.Name, TriggerKind.Http, h.Route, h.Sends, h.Method, h.Access == HttpAccess.Anonymous, h.Role)),
    ];

    /// <summary>The function named <paramref name="name"/>.</summary>
    public static FunctionDefinition Get(string name) => All.Single(f => f.Name == name);

    /// <summary>
    /// <c>host.json</c>: the custom handler (no HTTP forwarding: HTTP functions receive the host's
    /// payload like every other trigger), the extension bundle, a 30-minute function timeout (a
    /// backup of a large cluster takes minutes), and Service Bus settings that suit long work.
    /// </summary>
    public static JsonObject HostJson() => new()
    {
        ["version"] = "2.0",
        ["logging"] = new JsonObject { ["logLevel"] = new JsonObject { ["default"] = "Information" } },
        ["extensionBundle"] = new JsonObject { ["id"] = "Microsoft.Azure.Functions.ExtensionBundle", ["version"] = "[4.*, 5.0.0)" },
        ["functionTimeout"] = "00:30:00",
        ["extensions"] = new JsonObject
        {
            ["serviceBus"] = new JsonObject
            {
                ["maxConcurrentCalls"] = 4,
                ["maxAutoLockRenewalDuration"] = "00:30:00",
                ["autoCompleteMessages"] = true,
            },
        },
        ["customHandler"] = new JsonObject
        {
            ["description"] = new JsonObject { ["defaultExecutablePath"] = Executable, ["workingDirectory"] = "", ["arguments"] = new JsonArray() },
            ["enableForwardingHttpRequest"] = false,
        },
    };

    /// <summary>Writes <c>host.json</c> and one folder per function with its <c>function.json</c> into <paramref name="directory"/>.</summary>
    public static void WriteLayout(string directory)
    {
        Directory.CreateDirectory(directory);
        var options = new System.Text.Json.JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(directory, "host.json"), HostJson().ToJsonString(options) + "\n");
        foreach (var function in All)
        {
            Directory.CreateDirectory(Path.Combine(directory, function.Name));
            File.WriteAllText(Path.Combine(directory, function.Name, "function.json"), function.FunctionJson().ToJsonString(options) + "\n");
        }
    }
}
