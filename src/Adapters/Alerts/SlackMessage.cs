using System.Text.Json.Nodes;
using Strata.Core.Alerts;

namespace Strata.Adapters.Alerts;

/// <summary>
/// The Slack incoming-webhook message (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
/// <c>text</c> as the notification fallback, and Block Kit <c>blocks</c> (https://docs.slack.dev/reference/block-kit/blocks):
/// a header (plain text, at most 150 characters), the summary and the facts (a section's <c>fields</c>, at most 10),
/// the failed items, a context line, and a button to the status page — within Slack's limits (3,000 characters of section text).
/// </summary>
internal static class SlackMessage
{
    private const int HeaderMax = 150;
    private const int SectionMax = 3000;
    private const int FieldMax = 2000;
    private const int FieldsMax = 10;

    public static JsonObject Build(AlertNotification n)
    {
        var title = AlertText.Title(n);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = Plain(AlertText.Cut(title, HeaderMax)) },
            new JsonObject { ["type"] = "section", ["text"] = Markdown(AlertText.Cut(Escape(n.Summary), SectionMax)) },
        };
        var facts = AlertText.Facts(n).Take(FieldsMax).Select(f => (JsonNode)Markdown(AlertText.Cut($"*{Escape(f.Label)}*\n{Escape(f.Value)}", FieldMax))).ToArray();
        if (facts.Length > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = new JsonArray(facts) });
        }

        if (AlertText.FailedItemsHeading(n) is { } heading)
        {
            var lines = n.FailedItems.Select(i => "• " + Escape(i)).ToList();
            if (AlertText.MoreLine(n) is { } more)
            {
                lines.Add(more);
            }

            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = Markdown(AlertText.Cut($"*{heading}*\n{string.Join('\n', lines)}", SectionMax)) });
        }

        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(Markdown($"Strata · incident `{Escape(n.DedupKey)}`" + (n.Renotify ? " · reminder: still open" : ""))),
        });
        if (n.StatusPage is { } page)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "button", ["text"] = Plain("Open the status page"), ["url"] = page.AbsoluteUri }),
            });
        }

        return new JsonObject { ["text"] = AlertText.Cut($"{title}: {n.Summary}", SectionMax), ["blocks"] = blocks };
    }

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    // Slack's mrkdwn treats &, < and > as control characters: https://docs.slack.dev/messaging/formatting-message-text#escaping
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
