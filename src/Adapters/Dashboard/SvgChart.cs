using System.Text;

namespace Strata.Adapters.Dashboard;

/// <summary>
/// A time-series chart as inline SVG: one circle per point (carrying the run's id in a data attribute), a line through
/// them, an optional objective drawn as a dashed line, the axis ends labelled in text. A text alternative goes with it:
/// <c>role="img"</c>, an <c>aria-label</c>, and <c>title</c>/<c>desc</c> (the numbers are in a table beside it).
/// </summary>
internal static class SvgChart
{
    private const double Width = 600, Height = 200, Left = 92, Right = 16, Top = 14, Bottom = 34;
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    /// <summary>What one chart draws.</summary>
    /// <param name="Kind">The contract's <c>data-chart</c> (<c>rto</c>, <c>size</c>, <c>objects</c>).</param>
    /// <param name="Cluster">The pair's cluster.</param>
    /// <param name="Policy">The pair's policy.</param>
    /// <param name="Id">A document-unique id for the title and description.</param>
    /// <param name="Title">The chart's title.</param>
    /// <param name="Description">Its text alternative: what the points say, in numbers.</param>
    /// <param name="PointAttribute">The data attribute each circle carries the run id in (<c>data-drill</c>, <c>data-backup</c>).</param>
    /// <param name="Points">The points, oldest first.</param>
    /// <param name="Format">How a value reads on an axis.</param>
    /// <param name="FromZero">The value axis starts at zero (a recovery time against its objective); otherwise it spans the values, so drift shows.</param>
    /// <param name="Objective">The objective's value, drawn as a line, if any.</param>
    /// <param name="Empty">What the chart says when there is no point.</param>
    public sealed record Spec(
        string Kind, string Cluster, string Policy, string Id, string Title, string Description, string PointAttribute,
        IReadOnlyList<ChartPoint> Points, Func<double, string> Format, bool FromZero, double? Objective, string Empty);

    public static string Render(Spec spec)
    {
        var (low, high) = Range(spec);
        double Y(double value) => Top + PlotHeight - ((value - low) / (high - low) * PlotHeight);
        var first = spec.Points.Count == 0 ? default : spec.Points.Min(p => p.At);
        var span = spec.Points.Count == 0 ? 0 : (spec.Points.Max(p => p.At) - first).TotalSeconds;
        double X(DateTimeOffset at) => span <= 0 ? Left + (PlotWidth / 2) : Left + ((at - first).TotalSeconds / span * PlotWidth);
        string C(double value) => PageText.Coordinate(value);

        var svg = new StringBuilder();
        svg.Append($"<svg class=\"chart\" data-chart=\"{spec.Kind}\" data-cluster=\"{PageText.Encode(spec.Cluster)}\" data-policy=\"{PageText.Encode(spec.Policy)}\" ")
            .Append($"viewBox=\"0 0 {C(Width)} {C(Height)}\" role=\"img\" aria-label=\"{PageText.Encode(spec.Title + ". " + spec.Description)}\" ")
            .Append($"aria-describedby=\"{spec.Id}-desc\">\n")
            .Append($"<title id=\"{spec.Id}-title\">{PageText.Encode(spec.Title)}</title>\n")
            .Append($"<desc id=\"{spec.Id}-desc\">{PageText.Encode(spec.Description)}</desc>\n");

        // Axes, with the value range and the time range written at their ends.
        svg.Append($"<line class=\"axis\" x1=\"{C(Left)}\" y1=\"{C(Top)}\" x2=\"{C(Left)}\" y2=\"{C(Top + PlotHeight)}\"/>")
            .Append($"<line class=\"axis\" x1=\"{C(Left)}\" y1=\"{C(Top + PlotHeight)}\" x2=\"{C(Width - Right)}\" y2=\"{C(Top + PlotHeight)}\"/>\n")
            .Append($"<text x=\"{C(Left - 6)}\" y=\"{C(Top + 4)}\" text-anchor=\"end\">{PageText.Encode(spec.Format(high))}</text>")
            .Append($"<text x=\"{C(Left - 6)}\" y=\"{C(Top + PlotHeight)}\" text-anchor=\"end\">{PageText.Encode(spec.Format(low))}</text>\n");
        if (spec.Points.Count > 0)
        {
            svg.Append($"<text x=\"{C(Left)}\" y=\"{C(Height - 8)}\">{PageText.Encode(PageText.Short(first))}</text>");
            if (span > 0)
            {
                svg.Append($"<text x=\"{C(Width - Right)}\" y=\"{C(Height - 8)}\" text-anchor=\"end\">{PageText.Encode(PageText.Short(spec.Points.Max(p => p.At)))}</text>");
            }

            svg.Append('\n');
        }
        else
        {
            svg.Append($"<text x=\"{C(Left + (PlotWidth / 2))}\" y=\"{C(Top + (PlotHeight / 2))}\" text-anchor=\"middle\">{PageText.Encode(spec.Empty)}</text>\n");
        }

        if (spec.Objective is { } objective)
        {
            svg.Append($"<line class=\"objective\" data-objective=\"{C(objective)}\" x1=\"{C(Left)}\" y1=\"{C(Y(objective))}\" x2=\"{C(Width - Right)}\" y2=\"{C(Y(objective))}\"/>")
                .Append($"<text class=\"objective\" x=\"{C(Width - Right)}\" y=\"{C(Y(objective) - 4)}\" text-anchor=\"end\">objective {PageText.Encode(spec.Format(objective))}</text>\n");
        }

        if (spec.Points.Count > 1)
        {
            svg.Append("<polyline class=\"series\" points=\"")
                .AppendJoin(' ', spec.Points.Select(p => $"{C(X(p.At))},{C(Y(p.Value))}"))
                .Append("\"/>\n");
        }

        foreach (var point in spec.Points)
        {
            svg.Append($"<circle {spec.PointAttribute}=\"{PageText.Encode(point.Id)}\" cx=\"{C(X(point.At))}\" cy=\"{C(Y(point.Value))}\" r=\"4\"")
                .Append(point.Hollow ? " class=\"hollow\"" : "")
                .Append($"><title>{PageText.Encode($"{point.Id}: {point.Label}")}</title></circle>\n");
        }

        return svg.Append("</svg>").ToString();
    }

    private static (double Low, double High) Range(Spec spec)
    {
        var values = spec.Points.Select(p => p.Value).Concat(spec.Objective is { } o ? [o] : []).ToList();
        if (values.Count == 0)
        {
            return (0, 1);
        }

        var (min, max) = (values.Min(), values.Max());
        if (spec.FromZero)
        {
            return (0, max <= 0 ? 1 : max * 1.1);
        }

        // Spanning the values makes a 5 % drift visible; the axis labels say where the span starts.
        var pad = max > min ? (max - min) * 0.1 : Math.Max(Math.Abs(max) * 0.1, 1);
        return (Math.Max(0, min - pad), max + pad);
    }
}
