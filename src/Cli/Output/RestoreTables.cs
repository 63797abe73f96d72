using Spectre.Console;
using Strata.Core.Runs;

namespace Strata.Cli.Output;

/// <summary>The human-readable outputs of restores.</summary>
internal static class RestoreTables
{
    /// <summary>Rows of notable items shown after a restore; <c>restore describe</c> shows them all.</summary>
    private const int NotableRows = 50;

    /// <summary><c>restore list</c>: one row per restore, newest first.</summary>
    public static void List(CliEnvironment environment, IReadOnlyList<RestoreRecord> records)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("ID").NoWrap())
            .AddColumn(new TableColumn("BACKUP").NoWrap())
            .AddColumns("TARGET", "STATUS", "DRY RUN")
            .AddColumn(new TableColumn("CREATED").RightAligned())
            .AddColumn(new TableColumn("UPDATED").RightAligned())
            .AddColumn(new TableColumn("SKIPPED").RightAligned())
            .AddColumn(new TableColumn("FAILED").RightAligned())
            .AddColumn(new TableColumn("STARTED").NoWrap())
            .AddColumn("DURATION");
        foreach (var r in records)
        {
            table.AddRow(
                Markup.Escape(r.Id), Markup.Escape(r.BackupId), Markup.Escape(r.TargetCluster), r.Status.ToString(), r.DryRun ? "yes" : "no",
                RestoreTables.Count(r, "created"), RestoreTables.Count(r, "updated"),
                (r.Counts.GetValueOrDefault("skippedExisting") + r.Counts.GetValueOrDefault("skippedRecreated")).ToString("N0"),
                (r.Counts.GetValueOrDefault("failed") + r.Counts.GetValueOrDefault("skippedUnsupported")).ToString("N0"),
                r.StartedAt.ToString("u"),
                r.CompletedAt is { } c ? $"{(c - r.StartedAt).TotalSeconds:0.0} s" : "-");
        }

        BackupTables.Console(environment).Write(table);
    }

    public static void Summary(CliEnvironment environment, RestoreRecord record, bool allItems)
    {
        var console = BackupTables.Console(environment);
        Header(console, record);
        if (SignatureText.Of(record.Signature) is { } signature)
        {
            console.WriteLine(Markup.Escape($"Signature: {signature}"));
        }

        ByResource(console, record);

        var shown = allItems
            ? record.Items
            : record.Items.Where(i => i.Outcome is RestoreItemOutcome.Failed or RestoreItemOutcome.SkippedUnsupported or RestoreItemOutcome.SkippedRecreated).ToList();
        if (shown.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("RESOURCE", "NAMESPACE", "NAME", "RESULT", "WHY");
            foreach (var item in shown.Take(allItems ? int.MaxValue : NotableRows))
            {
                table.AddRow(Markup.Escape(item.Resource), Markup.Escape(item.Namespace ?? "-"), Markup.Escape(item.Name),
                    Outcome(item.Outcome), Markup.Escape(item.Message ?? string.Empty));
            }

            console.Write(table);
            if (!allItems && shown.Count > NotableRows)
            {
                console.WriteLine($"... and {shown.Count - NotableRows:N0} more: strata restore describe {record.Id}");
            }
        }

        BackupTables.Problems(console, record.Problems);
    }

    public static string Count(RestoreRecord record, string outcome) => record.Counts.GetValueOrDefault(outcome).ToString("N0");

    private static void Header(IAnsiConsole console, RestoreRecord record)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Restore", Markup.Escape(record.Id) + (record.DryRun ? " (dry run: nothing was changed)" : string.Empty));
        grid.AddRow("Status", record.Status.ToString());
        grid.AddRow("From backup", Markup.Escape($"{record.BackupId} (cluster {record.SourceCluster ?? "unknown"})"));
        grid.AddRow("Into", Markup.Escape(record.TargetCluster));
        if (record.Options?.NamespaceMappings is { Count: > 0 } mappings)
        {
            grid.AddRow("Namespaces", Markup.Escape(string.Join(", ", mappings.Select(m => $"{m.Key} → {m.Value}"))));
        }

        grid.AddRow("Started", record.StartedAt.ToString("u"));
        if (record.RequestedBy is { } requestedBy)
        {
            grid.AddRow("Requested by", Markup.Escape(requestedBy));
        }

        if (record.CompletedAt is { } completed)
        {
            var seconds = (completed - record.StartedAt).TotalSeconds;
            var applied = record.Counts.GetValueOrDefault("created") + record.Counts.GetValueOrDefault("updated");
            grid.AddRow("Duration", seconds > 0 ? $"{seconds:0.0} s ({applied / seconds:N0} objects/s applied)" : $"{seconds:0.0} s");
        }

        grid.AddRow("Results", string.Join(", ", record.Counts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value:N0}")));
        if (record.Error is { } error)
        {
            grid.AddRow("Error", Markup.Escape(error));
        }

        console.Write(grid);
        console.WriteLine();
    }

    private static void ByResource(IAnsiConsole console, RestoreRecord record)
    {
        if (record.Items.Count == 0)
        {
            return;
        }

        var outcomes = Enum.GetValues<RestoreItemOutcome>();
        var table = new Table().Border(TableBorder.Simple).AddColumn("RESOURCE");
        foreach (var outcome in outcomes)
        {
            table.AddColumn(new TableColumn(Outcome(outcome).ToUpperInvariant()).RightAligned());
        }

        foreach (var group in record.Items.GroupBy(i => i.Resource).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var cells = new List<string> { Markup.Escape(group.Key) };
            cells.AddRange(outcomes.Select(o => group.Count(i => i.Outcome == o) is var n && n > 0 ? n.ToString("N0") : "-"));
            table.AddRow([.. cells]);
        }

        console.Write(table);
    }

    private static string Outcome(RestoreItemOutcome outcome) => outcome switch
    {
        RestoreItemOutcome.Created => "created",
        RestoreItemOutcome.Updated => "updated",
        RestoreItemOutcome.SkippedExisting => "exists",
        RestoreItemOutcome.SkippedUnsupported => "unsupported",
        RestoreItemOutcome.SkippedRecreated => "recreated",
        _ => "failed",
    };
}
