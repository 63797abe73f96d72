using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Strata.Adapters.Alerts;
using Strata.Cli.Output;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Sandbox;

namespace Strata.Cli.Commands;

/// <summary>
/// The alerting part of <c>strata demo</c>, through the control plane's own functions: a policy whose alerts go to a
/// signed webhook — a stand-in for on-call's endpoint on loopback (<see cref="WebhookReceiver"/>) that checks every
/// delivery's signature. The sandbox's backup identity loses <c>list</c> on secrets, the policy's backup ends
/// partial, and the alert arrives; the identity is fixed, the next backup is verified, and the resolve arrives with
/// the same dedup key. Then the status of the policy against its RPO.
/// </summary>
internal static class DemoAlerts
{
    private const string Policy = "demo-hourly";

    public static async Task<JsonArray> RunAsync(SandboxApiServer source, StoreLocation location, bool json, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var received = new JsonArray();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var receiver = await WebhookReceiver.StartAsync(async (headers, body) =>
        {
            var valid = WebhookSignature.Verify(headers.GetValueOrDefault(WebhookSignature.Header.ToLowerInvariant()), secret, body, environment.Time.GetUtcNow(), out var reason);
            var envelope = JsonNode.Parse(body)!;
            var payload = envelope["payload"]!;
            var line = $"{envelope["type"]} {payload["severity"]?.GetValue<string>() ?? ""} [{payload["dedupKey"]}]: {payload["summary"]} — signature {(valid ? "valid" : $"INVALID ({reason})")}";
            lock (received)
            {
                received.Add(new JsonObject { ["type"] = envelope["type"]!.DeepClone(), ["dedupKey"] = payload["dedupKey"]!.DeepClone(), ["signatureValid"] = valid });
            }

            await environment.Error.WriteLineAsync($"strata demo: on-call endpoint received {line}");
        }, environment.Time, cancellationToken);

        var dir = Directory.CreateTempSubdirectory("strata-demo-");
        try
        {
            return await RunAsync(source, location, json, environment, receiver, secret, dir.FullName, received, cancellationToken);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<JsonArray> RunAsync(
        SandboxApiServer source, StoreLocation location, bool json, CliEnvironment environment, WebhookReceiver receiver, string secret, string dir, JsonArray received,
        CancellationToken cancellationToken)
    {
        var config = await DemoConfiguration.WriteAsync(source, dir, $$"""
            policies:
              - name: {{Policy}}
                clusters: [sandbox]
                schedule: "0 * * * *"
                rpo: 2h
            alerts:
              channels:
                - { name: on-call, type: webhook, url: { env: STRATA_DEMO_WEBHOOK }, secret: { env: STRATA_DEMO_WEBHOOK_SECRET } }
            """, cancellationToken: cancellationToken);
        var variables = new Dictionary<string, string>
        {
            [DemoConfiguration.TokenVariable] = source.AdminToken,
            ["STRATA_DEMO_WEBHOOK"] = receiver.Url("/strata").AbsoluteUri,
            ["STRATA_DEMO_WEBHOOK_SECRET"] = secret,
        };
        var (context, resources) = await ControlPlaneFactory.CreateAsync(config, location, name => variables.GetValueOrDefault(name) ?? DemoKeys.Variable(name) ?? environment.Variable(name), environment.Time,
            alertDelivery: new AlertDeliveryOptions { Transport = receiver.CreateHandler }, cancellationToken: cancellationToken);
        using (resources)
        {
            await environment.Error.WriteLineAsync(
                $"strata demo: alerts — policy {Policy} sends its alerts to a signed webhook (a stand-in for on-call, on {receiver.BaseUrl}); the sandbox's backup identity loses 'list' on secrets...");
            source.Access.Deny("list", "", "secrets");
            await BackUpAsync(context, "demo-alert-1", environment, cancellationToken);
            source.Access.ClearDenials();
            await environment.Error.WriteLineAsync("strata demo: the identity is fixed; the next backup of the policy is verified, which resolves the incident...");
            await BackUpAsync(context, "demo-alert-2", environment, cancellationToken);
            if (!json)
            {
                StatusTables.Fleet(environment, await StatusReport.BuildAsync(context, cancellationToken));
            }
        }

        return received;
    }

    private static async Task BackUpAsync(ControlPlaneContext context, string id, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var (request, _) = Requests.Create(new BackupRequested("sandbox", Policy, RequestedBy: "strata demo"), id + "-" + MessageIds.New("demo"), environment.Time.GetUtcNow(), context.Configuration);
        await InlinePipeline.RunAsync(context, request!, cancellationToken: cancellationToken);
    }
}
