using System.Text;
using Strata.Core.Alerts;
using Strata.Core.Coverage;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Status;

namespace Strata.Adapters.Dashboard;

/// <summary>
/// Writes the status page from a <see cref="DashboardView"/>: one self-contained HTML document — the fleet grid, the open
/// alerts, per pair its charts and the layers each backup holds, the coverage survey — with no script, no URL to fetch,
/// and no style but the one sheet the CSP names. Pure string building; every value HTML-encoded. The ids and data
/// attributes are a contract the browser test reads (docs/status-page.md).
/// </summary>
public static class StatusPageRenderer
{
    /// <summary>The page of <paramref name="view"/>.</summary>
    public static RenderedPage Render(DashboardView view)
    {
        var scope = view.Cluster is null ? "fleet" : $"cluster {view.Cluster}";
        var html = new StringBuilder();
        Open(html, $"Strata status — {scope}");
        html.Append("<header>\n<h1>Strata status</h1>\n")
            .Append($"<p class=\"muted\">{PageText.Encode(view.Cluster is null ? "The whole fleet" : $"Cluster {view.Cluster} only")}, ")
            .Append($"from {PageText.Encode(DashboardReport.ConfigurationName(view.Status.Configuration))}, generated {PageText.Time(view.Status.GeneratedAt)}.</p>\n")
            .Append("<nav aria-label=\"Sections\"><ul>")
            .Append("<li><a href=\"#fleet-heading\">Fleet</a></li><li><a href=\"#alerts\">Alerts</a></li>")
            .Append("<li><a href=\"#history\">History</a></li><li><a href=\"#coverage\">Coverage</a></li><li><a href=\"#channels\">Alert channels</a></li>")
            .Append("</ul></nav>\n</header>\n<main id=\"main\">\n");
        Fleet(html, view);
        Alerts(html, view.Status.Alerts);
        History(html, view);
        Coverage(html, view);
        Channels(html, view.Status);
        html.Append("</main>\n");
        Close(html);
        return new RenderedPage(html.ToString(), PageStyle.ContentSecurityPolicy);
    }

    /// <summary>The page that says why there is nothing to show (<paramref name="message"/>: <c>cluster 'x' is not in strata.yaml</c>).</summary>
    public static RenderedPage NotFound(string message)
    {
        var html = new StringBuilder();
        Open(html, "Strata status — not found");
        html.Append("<header>\n<h1>Strata status</h1>\n</header>\n<main id=\"main\">\n<h2>Not found</h2>\n")
            .Append($"<p>{PageText.Encode(message)}</p>\n<p>Leave out <code>?cluster=</code> to see the whole fleet.</p>\n</main>\n");
        Close(html);
        return new RenderedPage(html.ToString(), PageStyle.ContentSecurityPolicy);
    }

    private static void Open(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<link rel=\"icon\" href=\"data:,\">\n") // no favicon request: the page asks its server for nothing but itself
            .Append($"<title>{PageText.Encode(title)}</title>\n<style>{PageStyle.Css}</style>\n</head>\n<body>\n")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n");

    private static void Close(StringBuilder html) =>
        html.Append("<footer><p class=\"muted\">Strata — server-rendered, no script. States: ")
            .Append("✓ fresh, ▲ at risk, ✕ breached, ? never proven, – not covered.</p></footer>\n</body>\n</html>\n");

    private static void Fleet(StringBuilder html, DashboardView view)
    {
        html.Append("<section aria-labelledby=\"fleet-heading\">\n<h2 id=\"fleet-heading\">Fleet</h2>\n")
            .Append("<p>Each cell is one policy on one cluster, judged on its last <em>verified</em> backup against the policy's RPO.</p>\n")
            .Append("<table id=\"fleet\">\n<caption>Recoverability per cluster (rows) and policy (columns)</caption>\n<thead><tr><th scope=\"col\">Cluster</th>");
        foreach (var policy in view.Policies)
        {
            html.Append($"<th scope=\"col\">{PageText.Encode(policy)}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var cluster in view.Clusters)
        {
            html.Append($"<tr data-cluster=\"{PageText.Encode(cluster)}\"><th scope=\"row\">{PageText.Encode(cluster)}</th>\n");
            foreach (var policy in view.Policies)
            {
                Cell(html, view, cluster, policy);
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Cell(StringBuilder html, DashboardView view, string cluster, string policy)
    {
        var attributes = $"data-cluster=\"{PageText.Encode(cluster)}\" data-policy=\"{PageText.Encode(policy)}\"";
        if (view.Find(cluster, policy) is not { } pair)
        {
            html.Append($"<td {attributes} data-state=\"none\" class=\"none\">{Badge(Recoverability.None)}<span class=\"muted\">not covered by this policy</span></td>\n");
            return;
        }

        var state = RecoverabilityRules.Name(pair.Recoverability.Result);
        var row = pair.Status;
        html.Append($"<td {attributes} data-state=\"{state}\" data-layers=\"{PageText.Encode(string.Join(' ', pair.VerifiedLayers))}\" class=\"{state}\">")
            .Append(Badge(pair.Recoverability.Result))
            .Append($"<span>{PageText.Encode(pair.Recoverability.Reason)}</span>\n<dl>")
            .Append($"<dt>Last backup</dt><dd>{(row.LastBackup is { } last ? $"{PageText.Time(last.At)} ({PageText.Encode(last.Status.ToString())})" : "never")}</dd>")
            .Append($"<dt>Last verified</dt><dd>{(row.LastVerified is { } verified ? PageText.Time(verified.At) : "never")}</dd>")
            .Append($"<dt>Age / RPO</dt><dd>{PageText.Encode(Age(row))}</dd>")
            .Append($"<dt>Last drill</dt><dd>{PageText.Encode(Drill(row.LastDrill))}</dd>")
            .Append($"<dt>Layers</dt><dd>{PageText.Encode(pair.VerifiedLayers.Count == 0 ? "none verified" : string.Join(", ", pair.VerifiedLayers))}</dd>")
            .Append(row.OpenAlerts > 0 ? $"<dt>Alerts</dt><dd>{row.OpenAlerts} open</dd>" : "")
            .Append($"</dl>\n<a href=\"#{PairId(view, pair)}\">History of {PageText.Encode(cluster)} / {PageText.Encode(policy)}</a></td>\n");
    }

    // Shape and word together: the state never rests on colour alone.
    private static string Badge(Recoverability state) => state switch
    {
        Recoverability.Fresh => "<span class=\"state\"><span class=\"icon\" aria-hidden=\"true\">✓</span>Fresh</span>",
        Recoverability.AtRisk => "<span class=\"state\"><span class=\"icon\" aria-hidden=\"true\">▲</span>At risk</span>",
        Recoverability.Breached => "<span class=\"state\"><span class=\"icon\" aria-hidden=\"true\">✕</span>Breached</span>",
        Recoverability.NeverProven => "<span class=\"state\"><span class=\"icon\" aria-hidden=\"true\">?</span>Never proven</span>",
        _ => "<span class=\"state\"><span class=\"icon\" aria-hidden=\"true\">–</span>Not covered</span>",
    };

    private static string Age(ProtectionStatus row) => (row.RpoAge, row.Rpo) switch
    {
        ({ } age, { } rpo) => $"{age} of {rpo}",
        ({ } age, null) => $"{age} (no RPO set)",
        (null, { } rpo) => $"no verified backup (RPO {rpo})",
        _ => "no verified backup, no RPO set",
    };

    private static string Drill(DrillReference? drill) => drill switch
    {
        null => "never drilled",
        { Status: DrillStatus.Passed, RtoSeconds: { } rto, ExceededObjective: true } => $"RTO {PageText.Seconds(rto)}, slower than the objective ({PageText.Short(drill.At)})",
        { Status: DrillStatus.Passed, RtoSeconds: { } rto } => $"RTO {PageText.Seconds(rto)}, passed ({PageText.Short(drill.At)})",
        { Status: DrillStatus.Passed } => $"passed, dry run ({PageText.Short(drill.At)})",
        { Status: DrillStatus.InProgress } => $"in progress since {PageText.Short(drill.At)}",
        _ => $"failed ({PageText.Short(drill.At)})",
    };

    private static void Alerts(StringBuilder html, IReadOnlyList<AlertRecord> alerts)
    {
        var open = alerts.Count(a => a.Status == IncidentStatus.Open);
        html.Append("<section id=\"alerts\" aria-labelledby=\"alerts-heading\">\n<h2 id=\"alerts-heading\">Alerts</h2>\n")
            .Append($"<p>{open} open, {alerts.Count - open} resolved (the latest {alerts.Count} incidents).</p>\n");
        if (alerts.Count > 0)
        {
            html.Append("<ul class=\"alerts\">\n");
            foreach (var alert in alerts.OrderBy(a => a.Status == IncidentStatus.Open ? 0 : 1))
            {
                var isOpen = alert.Status == IncidentStatus.Open;
                html.Append($"<li data-alert=\"{PageText.Encode(alert.DedupKey)}\" data-status=\"{(isOpen ? "open" : "resolved")}\" class=\"{(isOpen ? "open" : "resolved")}\">")
                    .Append(isOpen ? "<strong><span aria-hidden=\"true\">▲ </span>Open</strong>" : "<strong><span aria-hidden=\"true\">✓ </span>Resolved</strong>")
                    .Append($" · {PageText.Encode(alert.Severity.ToString())} · <code>{PageText.Encode(alert.DedupKey)}</code> · {PageText.Prose(alert.Summary)}")
                    .Append($" · raised {PageText.Time(alert.LastRaisedAt)}")
                    .Append(alert.Count > 1 ? $" ({alert.Count} times)" : "")
                    .Append(isOpen ? "" : $", resolved {PageText.Time(alert.ResolvedAt)}")
                    .Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");
    }

    // By position, not by name: names may hold characters an id or a fragment would have to escape.
    private static string PairId(DashboardView view, ProtectionHistory pair)
    {
        for (var i = 0; i < view.Pairs.Count; i++)
        {
            if (view.Pairs[i].Cluster == pair.Cluster && view.Pairs[i].Policy == pair.Policy)
            {
                return "pair-" + i;
            }
        }

        return "pair-none";
    }

    private static void History(StringBuilder html, DashboardView view)
    {
        html.Append("<section id=\"history\" aria-labelledby=\"history-heading\">\n<h2 id=\"history-heading\">History</h2>\n")
            .Append($"<p>Per cluster and policy: the latest {view.Limits.MaxDrills} drills that measured an RTO and the latest {view.Limits.MaxBackups} committed backups. ")
            .Append("Hollow points fell short: a drill slower than its objective, a backup that is partial or failed verification.</p>\n");
        foreach (var pair in view.Pairs)
        {
            var id = PairId(view, pair);
            var name = $"{pair.Cluster} / {pair.Policy}";
            html.Append($"<article class=\"pair\" id=\"{id}\" aria-labelledby=\"{id}-heading\">\n<h3 id=\"{id}-heading\">{PageText.Encode(name)}</h3>\n<div class=\"charts\">\n")
                .Append(Figure("Recovery time (RTO) per drill", RtoChart(pair, id, name)))
                .Append(Figure("Backup size", SizeChart(pair, id, name)))
                .Append(Figure("Objects per backup", ObjectsChart(pair, id, name))).Append("</div>\n");
            DrillTable(html, pair, name);
            BackupTable(html, pair, name);
            html.Append("</article>\n");
        }

        html.Append("</section>\n");
    }

    private static string Figure(string caption, SvgChart.Spec chart) =>
        $"<figure><figcaption>{PageText.Encode(caption)}</figcaption>\n{SvgChart.Render(chart)}\n</figure>\n";

    private static SvgChart.Spec RtoChart(ProtectionHistory pair, string id, string name)
    {
        var drills = pair.Drills;
        var description = drills.Count == 0
            ? "No drill has measured an RTO yet."
            : $"{drills.Count} drills from {PageText.Short(drills[0].At)} to {PageText.Short(drills[^1].At)}; RTO from {PageText.Seconds(drills.Min(d => d.RtoSeconds))} "
                + $"to {PageText.Seconds(drills.Max(d => d.RtoSeconds))}, latest {PageText.Seconds(drills[^1].RtoSeconds)}; {drills.Count(d => d.ExceededObjective)} slower than the objective.";
        var objective = pair.RtoObjectiveSeconds ?? drills.LastOrDefault()?.ObjectiveSeconds;
        if (objective is { } o)
        {
            description += $" Objective {PageText.Seconds(o)}.";
        }

        return new SvgChart.Spec("rto", pair.Cluster, pair.Policy, id + "-rto", $"RTO over time, {name}", description, "data-drill",
            [.. drills.Select(d => new ChartPoint(d.Id, d.At, d.RtoSeconds, $"RTO {PageText.Seconds(d.RtoSeconds)}" + (d.ExceededObjective ? ", slower than the objective" : ""), d.ExceededObjective))],
            PageText.Seconds, FromZero: true, objective, "no drill has measured an RTO yet");
    }

    private static SvgChart.Spec SizeChart(ProtectionHistory pair, string id, string name)
    {
        var backups = pair.Backups;
        var description = backups.Count == 0
            ? "No committed backup yet."
            : $"{backups.Count} backups from {PageText.Short(backups[0].At)} to {PageText.Short(backups[^1].At)}; size from {PageText.Bytes(backups.Min(b => b.TotalBytes))} "
                + $"to {PageText.Bytes(backups.Max(b => b.TotalBytes))}, latest {PageText.Bytes(backups[^1].TotalBytes)}.";
        return new SvgChart.Spec("size", pair.Cluster, pair.Policy, id + "-size", $"Backup size over time, {name}", description, "data-backup",
            [.. backups.Select(b => new ChartPoint(b.Id, b.At, b.TotalBytes, $"{PageText.Bytes(b.TotalBytes)}, {b.Status}", FellShort(b)))],
            v => PageText.Bytes((long)v), FromZero: false, null, "no committed backup yet");
    }

    private static SvgChart.Spec ObjectsChart(ProtectionHistory pair, string id, string name)
    {
        var backups = pair.Backups;
        var description = backups.Count == 0
            ? "No committed backup yet."
            : $"{backups.Count} backups from {PageText.Short(backups[0].At)} to {PageText.Short(backups[^1].At)}; objects from {PageText.Count(backups.Min(b => b.ObjectCount))} "
                + $"to {PageText.Count(backups.Max(b => b.ObjectCount))}, latest {PageText.Count(backups[^1].ObjectCount)}.";
        return new SvgChart.Spec("objects", pair.Cluster, pair.Policy, id + "-objects", $"Objects per backup over time, {name}", description, "data-backup",
            [.. backups.Select(b => new ChartPoint(b.Id, b.At, b.ObjectCount, $"{PageText.Count(b.ObjectCount)} objects, {b.Status}", FellShort(b)))],
            v => PageText.Count((long)Math.Round(v)), FromZero: false, null, "no committed backup yet");
    }

    private static bool FellShort(BackupPoint backup) => backup.Status is BackupStatus.PartiallyFailed or BackupStatus.VerificationFailed;

    private static void DrillTable(StringBuilder html, ProtectionHistory pair, string name)
    {
        html.Append($"<details><summary>Drills of {PageText.Encode(name)} ({pair.Drills.Count})</summary>\n");
        if (pair.Drills.Count == 0)
        {
            html.Append("<p>No drill has measured an RTO yet.</p></details>\n");
            return;
        }

        html.Append($"<table><caption>Drills of {PageText.Encode(name)}, oldest first</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Drill</th><th scope=\"col\">Started</th><th scope=\"col\">RTO</th><th scope=\"col\">Objective</th><th scope=\"col\">Result</th></tr></thead>\n<tbody>\n");
        foreach (var drill in pair.Drills)
        {
            html.Append($"<tr><th scope=\"row\"><code>{PageText.Encode(drill.Id)}</code></th><td>{PageText.Short(drill.At)}</td><td>{PageText.Seconds(drill.RtoSeconds)}</td>")
                .Append($"<td>{(drill.ObjectiveSeconds is { } o ? PageText.Seconds(o) : "none")}</td><td>{(drill.ExceededObjective ? "passed, slower than the objective" : "passed")}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</details>\n");
    }

    private static void BackupTable(StringBuilder html, ProtectionHistory pair, string name)
    {
        html.Append($"<details><summary>Backups of {PageText.Encode(name)} and the layers each holds ({pair.Backups.Count})</summary>\n");
        if (pair.Backups.Count == 0)
        {
            html.Append("<p>No committed backup yet.</p></details>\n");
            return;
        }

        html.Append($"<table><caption>Committed backups of {PageText.Encode(name)}, oldest first, with bytes per layer</caption>\n<thead><tr>")
            .Append("<th scope=\"col\">Backup</th><th scope=\"col\">Started</th><th scope=\"col\">Status</th><th scope=\"col\">Objects</th><th scope=\"col\">Size</th>");
        foreach (var layer in BackupLayers.All)
        {
            html.Append($"<th scope=\"col\">{PageText.Encode(layer)}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var backup in pair.Backups)
        {
            html.Append($"<tr data-backup=\"{PageText.Encode(backup.Id)}\" data-layers=\"{PageText.Encode(string.Join(' ', backup.Layers))}\">")
                .Append($"<th scope=\"row\"><code>{PageText.Encode(backup.Id)}</code></th><td>{PageText.Short(backup.At)}</td><td>{PageText.Encode(backup.Status.ToString())}</td>")
                .Append($"<td>{PageText.Count(backup.ObjectCount)}</td><td>{PageText.Bytes(backup.TotalBytes)}</td>");
            foreach (var layer in BackupLayers.All)
            {
                html.Append($"<td>{(backup.BytesByLayer.TryGetValue(layer, out var bytes) ? PageText.Bytes(bytes) : "—")}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</details>\n");
    }

    private static void Coverage(StringBuilder html, DashboardView view)
    {
        html.Append("<section id=\"coverage\" aria-labelledby=\"coverage-heading\">\n<h2 id=\"coverage-heading\">Coverage</h2>\n");
        if (view.Status.Coverage.Count == 0)
        {
            html.Append("<p>No survey yet: the coverage timer has not surveyed any cluster (<code>strata coverage</code> surveys one now).</p>\n</section>\n");
            return;
        }

        foreach (var report in view.Status.Coverage)
        {
            html.Append($"<h3>{PageText.Encode(report.Cluster)}</h3>\n");
            if (report.Error is { } error)
            {
                // Never surveyed: no count, which would read as "0 unprotected" while nothing is known.
                html.Append($"<p><strong>Not surveyed</strong> ({PageText.Time(report.SurveyedAt)}): {PageText.Prose(error)}</p>\n");
                continue;
            }

            if (report.LastError is { } lastError)
            {
                var attempt = report.LastAttemptAt is { } at ? $", last tried {PageText.Time(at)}" : "";
                html.Append($"<p><strong>Not surveyed since {PageText.Time(report.SurveyedAt)}</strong>{attempt}: {PageText.Prose(lastError)}. What that survey found:</p>\n");
            }

            // The counts include what a store too small for the whole report left out (OmittedCovered, OmittedUnprotected).
            html.Append($"<p>Surveyed {PageText.Time(report.SurveyedAt)}: {report.StatefulCount} stateful things, ")
                .Append($"<strong>{report.UnprotectedCount} unprotected</strong>")
                .Append(report.OmittedCovered + report.OmittedUnprotected > 0 ? $" ({report.OmittedCovered + report.OmittedUnprotected} not listed: the report was too large to keep whole)" : "")
                .Append(".</p>\n");

            if (report.Entries.Count == 0)
            {
                continue;
            }

            html.Append($"<table><caption>Stateful things in {PageText.Encode(report.Cluster)}</caption>\n<thead><tr>")
                .Append("<th scope=\"col\">Kind</th><th scope=\"col\">Namespace</th><th scope=\"col\">Name</th><th scope=\"col\">State</th><th scope=\"col\">Protected by, or why not</th></tr></thead>\n<tbody>\n");
            foreach (var entry in report.Entries)
            {
                var state = PageText.Kebab(entry.State.ToString());
                html.Append($"<tr data-cluster=\"{PageText.Encode(report.Cluster)}\" data-kind=\"{PageText.Kebab(entry.Kind.ToString())}\" data-state=\"{state}\">")
                    .Append($"<td>{PageText.Encode(entry.Kind.ToString())}</td><td>{PageText.Encode(entry.Namespace ?? "(cluster)")}</td><td>{PageText.Encode(entry.Name)}</td>")
                    .Append($"<td>{CoverageBadge(entry.State)}</td><td>{Protection(entry)}</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("</section>\n");
    }

    private static string CoverageBadge(CoverageState state) => state switch
    {
        CoverageState.Protected => "<span aria-hidden=\"true\">✓ </span>protected",
        CoverageState.Rebuildable => "<span aria-hidden=\"true\">↻ </span>rebuildable",
        _ => "<strong><span aria-hidden=\"true\">✕ </span>unprotected</strong>",
    };

    private static string Protection(CoverageEntry entry) => entry.ProtectedBy.Count > 0
        ? PageText.Encode(string.Join(", ", entry.ProtectedBy.Select(p => $"{p.Policy} ({p.Layer})")))
        : PageText.Prose(entry.Reason);

    private static void Channels(StringBuilder html, FleetStatus status)
    {
        html.Append("<section id=\"channels\" aria-labelledby=\"channels-heading\">\n<h2 id=\"channels-heading\">Alert channels</h2>\n");
        if (status.AlertChannels.Count == 0)
        {
            html.Append("<p>No alert channel is configured.</p>\n");
        }
        else
        {
            // Names, kinds and delivery health only: a channel's address and its last error can carry its secret.
            html.Append("<table><caption>Alert channels and how their deliveries go</caption>\n<thead><tr><th scope=\"col\">Channel</th><th scope=\"col\">Type</th>")
                .Append("<th scope=\"col\">State</th><th scope=\"col\">Failures in a row</th><th scope=\"col\">Last delivered</th></tr></thead>\n<tbody>\n");
            foreach (var channel in status.AlertChannels)
            {
                html.Append($"<tr data-channel=\"{PageText.Encode(channel.Name)}\" data-state=\"{PageText.Encode(channel.State)}\"><th scope=\"row\">{PageText.Encode(channel.Name)}</th>")
                    .Append($"<td>{PageText.Encode(channel.Type.ToString())}</td><td>{PageText.Encode(channel.State)}</td><td>{channel.ConsecutiveFailures}</td>")
                    .Append($"<td>{PageText.Time(channel.LastSuccessAt)}</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append($"<p class=\"muted\">{status.RejectedMessages} messages rejected so far.</p>\n</section>\n");
    }
}
