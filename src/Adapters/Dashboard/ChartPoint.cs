namespace Strata.Adapters.Dashboard;

/// <summary>One point of a chart: the run it stands for, when, its value, how the value reads, and whether it is drawn hollow (a run that fell short).</summary>
internal sealed record ChartPoint(string Id, DateTimeOffset At, double Value, string Label, bool Hollow);
