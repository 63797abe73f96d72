using System.Text.Json.Nodes;
using Strata.Core.Alerts;
using Strata.Core.Messages;

namespace Strata.Adapters.Alerts;

/// <summary>
/// The Teams Workflows (Power Automate "When a Teams webhook request is received") message: <c>type: message</c> with one
/// attachment of content type <c>application/vnd.microsoft.card.adaptive</c> whose <c>content</c> is an Adaptive Card 1.4
/// (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook;
/// card schema https://adaptivecards.io/explorer/): a title, the summary, a FactSet, the failed items, and an
/// <c>Action.OpenUrl</c> to the status page. Workflows take Adaptive Cards only, not the old MessageCard.
/// </summary>
internal static class TeamsCard
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Build(AlertNotification n)
    {
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TextBlock", ["text"] = AlertText.Title(n), ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true,
                ["color"] = n.Action == AlertAction.Resolve ? "Good" : n.Severity switch { AlertSeverity.Critical => "Attention", AlertSeverity.Warning => "Warning", _ => "Default" },
            },
            new JsonObject { ["type"] = "TextBlock", ["text"] = n.Summary, ["wrap"] = true },
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray([.. AlertText.Facts(n).Select(f => (JsonNode)new JsonObject { ["title"] = f.Label, ["value"] = f.Value })]),
            },
        };
        if (AlertText.FailedItemsHeading(n) is { } heading)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = heading, ["weight"] = "Bolder", ["wrap"] = true, ["spacing"] = "Medium" });
            var lines = n.FailedItems.Select(i => "- " + i).ToList();
            if (AlertText.MoreLine(n) is { } more)
            {
                lines.Add(more);
            }

            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join("\n", lines), ["wrap"] = true });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
            ["msteams"] = new JsonObject { ["width"] = "Full" },
        };
        if (n.StatusPage is { } page)
        {
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the status page", ["url"] = page.AbsoluteUri });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = ContentType, ["contentUrl"] = null, ["content"] = card }),
        };
    }
}
