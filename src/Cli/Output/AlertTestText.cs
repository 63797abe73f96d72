using System.Text.Json.Nodes;
using Strata.Core.Alerts;
using Strata.Core.Configuration;

namespace Strata.Cli.Output;

/// <summary>What <c>strata alert test</c> prints: each request sent and the service's answer (never the URL or a key).</summary>
internal static class AlertTestText
{
    public static string Result(AlertChannelDefinition channel, IReadOnlyList<(AlertAction Action, AlertDelivery Delivery)> deliveries, bool json)
    {
        var type = channel.Type.ToString().ToLowerInvariant();
        if (json)
        {
            return new JsonObject
            {
                ["channel"] = channel.Name,
                ["type"] = type,
                ["delivered"] = deliveries[0].Delivery.Delivered,
                ["deliveries"] = new JsonArray([.. deliveries.Select(d => (JsonNode)new JsonObject
                {
                    ["action"] = d.Action.ToString().ToLowerInvariant(),
                    ["delivered"] = d.Delivery.Delivered,
                    ["statusCode"] = d.Delivery.StatusCode,
                    ["answer"] = d.Delivery.Answer,
                    ["attempts"] = d.Delivery.Attempts,
                })]),
            }.ToJsonString(BackupJson.Indented);
        }

        var lines = deliveries.Select(d =>
            $"  {d.Action.ToString().ToLowerInvariant(),-8} {(d.Delivery.Delivered ? "delivered" : d.Delivery.Attempts == 0 ? "not sent" : "REFUSED"),-10} {d.Delivery}");
        return $"Test alert to {channel.Name} ({type}):\n" + string.Join("\n", lines);
    }
}
