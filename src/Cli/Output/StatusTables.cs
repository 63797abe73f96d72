using Spectre.Console;
using Strata.Core.Freshness;
using Strata.Core.Status;

namespace Strata.Cli.Output;

/// <summary>The table of <c>strata status</c>.</summary>
internal static class StatusTables
{
    public static void Fleet(CliEnvironment environment, FleetStatus status)
    {
        var console = BackupTables.Console(environment);
        var now = status.GeneratedAt;
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("CLUSTER", "POLICY", "LAST BACKUP", "LAST VERIFIED", "RPO", "LAST DRILL", "NEXT RUN")
            .AddColumn(new TableColumn("ALERTS").RightAligned());
        foreach (var row in status.Protection)
        {
            table.AddRow(
                Markup.Escape(row.Cluster),
                Markup.Escape(row.Policy),
                row.LastBackup is { } last ? Markup.Escape($"{last.Status}, {Ago(now - last.At)} ({last.Id})") : "none",
                row.LastVerified is { } verified ? Markup.Escape($"{Ago(now - verified.At)} ({verified.Id})") : "none",
                Markup.Escape(Rpo(row)),
                row.LastDrill is { } drill ? Markup.Escape(Drill(drill, now)) : "none",
                row.NextRun is { } next ? next.ToString("u") : "-",
                row.OpenAlerts.ToString());
        }

        console.Write(table);
        if (status.Alerts.Count > 0)
        {
            var alerts = new Table().Border(TableBorder.Simple).AddColumns("STATE", "SEVERITY", "ALERT", "SUMMARY")
                .AddColumn(new TableColumn("COUNT").RightAligned()).AddColumns("LAST RAISED", "NOTIFIED");
            foreach (var alert in status.Alerts.OrderBy(a => a.Status))
            {
                alerts.AddRow(alert.Status.ToString().ToLowerInvariant(), alert.Severity.ToString().ToLowerInvariant(), Markup.Escape(alert.DedupKey), Markup.Escape(alert.Summary),
                    alert.Count.ToString(), alert.LastRaisedAt.ToString("u"), Markup.Escape(string.Join(", ", alert.Notifications.Select(n => n.Channel))));
            }

            console.Write(alerts);
        }

        if (status.AlertChannels.Count > 0)
        {
            var channels = new Table().Border(TableBorder.Simple).AddColumns("CHANNEL", "TYPE", "STATE", "LAST SUCCESS", "LAST FAILURE", "LAST ERROR");
            foreach (var channel in status.AlertChannels)
            {
                channels.AddRow(Markup.Escape(channel.Name), channel.Type.ToString().ToLowerInvariant(),
                    channel.ConsecutiveFailures > 0 ? $"failing ×{channel.ConsecutiveFailures}" : channel.State,
                    channel.LastSuccessAt?.ToString("u") ?? "-", channel.LastFailureAt?.ToString("u") ?? "-", Markup.Escape(channel.LastError ?? "-"));
            }

            console.Write(channels);
        }

        if (status.RejectedMessages > 0)
        {
            console.WriteLine($"{status.RejectedMessages} rejected message(s).");
        }
    }

    private static string Rpo(ProtectionStatus row) => row.RpoState switch
    {
        RecoveryPointState.NoObjective => "no objective",
        RecoveryPointState.Pending => $"pending (objective {row.Rpo})",
        RecoveryPointState.Ok => $"ok ({row.RpoAge} of {row.Rpo})",
        RecoveryPointState.AtRisk => $"AT RISK ({row.RpoAge} of {row.Rpo})",
        _ => row.RpoAge is null ? $"BREACHED (nothing verified; objective {row.Rpo})" : $"BREACHED ({row.RpoAge} of {row.Rpo})",
    };

    private static string Drill(DrillReference drill, DateTimeOffset now) =>
        drill.Status.ToString() + (drill.RtoSeconds is { } rto ? $", RTO {rto:0.0} s" + (drill.ExceededObjective ? " (over objective)" : "") : "") + $", {Ago(now - drill.At)}";

    private static string Ago(TimeSpan age) =>
        age.TotalMinutes < 1 ? "just now" : age.TotalHours < 1 ? $"{age.TotalMinutes:0}m ago" : age.TotalDays < 2 ? $"{age.TotalHours:0}h ago" : $"{age.TotalDays:0}d ago";
}
