using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Alerts;

namespace Strata.Adapters.Alerts;

/// <summary>
/// A PagerDuty Events API v2 alert event (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): a
/// <c>trigger</c> with <c>routing_key</c>, <c>dedup_key</c> (the incident's key, so PagerDuty groups what Strata groups) and
/// <c>payload</c> (<c>summary</c> ≤ 1,024 characters, <c>source</c>, <c>severity</c>, <c>timestamp</c>, <c>component</c>,
/// <c>class</c>, <c>custom_details</c>); a <c>resolve</c> with the same <c>routing_key</c> and <c>dedup_key</c> only.
/// </summary>
internal static class PagerDutyEvent
{
    private const int SummaryMax = 1024;
    private const int DedupKeyMax = 255;

    public static JsonObject Build(AlertNotification n, string routingKey)
    {
        var message = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = n.Action == AlertAction.Resolve ? "resolve" : "trigger",
            ["dedup_key"] = DedupKey(n.DedupKey),
        };
        if (n.Action == AlertAction.Resolve)
        {
            return message;
        }

        var details = new JsonObject { ["kind"] = n.Kind, ["incident"] = n.DedupKey, ["occurrences"] = n.Occurrences };
        foreach (var (label, value) in new[] { ("cluster", n.Cluster), ("policy", n.Policy), ("run", n.RunId) })
        {
            if (value is not null)
            {
                details[label] = value;
            }
        }

        foreach (var (key, value) in n.Details)
        {
            details.TryAdd(key, value);
        }

        if (n.FailedItems.Count > 0)
        {
            details["failed_items"] = new JsonArray([.. n.FailedItems.Select(i => (JsonNode)i)]);
            details["more_failed_items"] = n.MoreFailedItems;
        }

        message["payload"] = new JsonObject
        {
            ["summary"] = AlertText.Cut(n.Summary, SummaryMax),
            ["source"] = n.Cluster is { } cluster ? $"strata/{cluster}" : "strata",
            ["severity"] = AlertText.Severity(n.Severity),
            ["timestamp"] = n.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["component"] = n.Policy ?? n.Kind,
            ["class"] = n.Kind,
            ["custom_details"] = details,
        };
        message["client"] = "Strata";
        if (n.StatusPage is { } page)
        {
            message["client_url"] = page.AbsoluteUri;
            message["links"] = new JsonArray(new JsonObject { ["href"] = page.AbsoluteUri, ["text"] = "Strata status" });
        }

        return message;
    }

    /// <summary>The incident's key, or — when longer than PagerDuty's 255 characters — its start and a hash, the same for trigger and resolve.</summary>
    public static string DedupKey(string key) => key.Length <= DedupKeyMax
        ? key
        : key[..(DedupKeyMax - 17)] + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
}
