using System.Globalization;

/// <summary>The tables <see cref="DatabaseBench"/> prints (Markdown, for docs/benchmarks.md), and its progress lines.</summary>
internal static class DatabaseTables
{
    public const string DumpHeader = """
        | database | tool | wall, each round | median | ÷ pg_dump, each round | **median ÷ pg_dump** | dump phase (median) | dump phase ÷ pg_dump (median) | verification (median) | peak RSS | CPU (median) | dump |
        |---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|

        """;

    public const string ExecHeader = """
        | database | dump | direct: dump phase (median) | direct MB/s | exec (pods/exec, WebSocket): dump phase (median) | exec MB/s | exec ÷ direct (time) | `cat` of the dump through pods/exec (runs) | its MB/s (median) | its peak RSS |
        |---|---:|---:|---:|---:|---:|---:|---|---:|---:|

        """;

    public const string DrillHeader = """
        | database | pg_restore -d (runs) | median | Strata drill: restore (runs) | RTO (runs) | **median RTO** | RTO ÷ pg_restore | drill process (median) | drill peak RSS | load (1 min) after each round |
        |---|---|---:|---|---|---:|---:|---:|---:|---|

        """;

    public static string DumpRow(string database, string tool, List<DumpRun> runs, List<DumpRun> plain)
    {
        var ratios = runs.Zip(plain, (r, p) => r.Process.Seconds / p.Process.Seconds).ToList();
        var dumpRatio = Figures.Median(runs.Zip(plain, (r, p) => r.DumpSeconds / p.Process.Seconds));
        var verify = ReferenceEquals(runs, plain) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Figures.Median(runs.Select(r => r.VerifySeconds)):0.00} s");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {database} | {tool} | {Figures.Runs(runs.Select(r => r.Process.Seconds))} | {Figures.Median(runs.Select(r => r.Process.Seconds)):0.00} s | {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} | **{Figures.Median(ratios):0.00}×** | {Figures.Median(runs.Select(r => r.DumpSeconds)):0.00} s | {dumpRatio:0.00}× | {verify} | {runs.Min(r => r.Process.PeakRssMiB):0}–{runs.Max(r => r.Process.PeakRssMiB):0} MiB | {Figures.Median(runs.Select(r => r.Process.CpuSeconds)):0.0} s | {runs[^1].DumpBytes / 1e6:0} MB |");
    }

    public static string ExecRow(string database, List<DumpRun> direct, List<DumpRun> exec, List<DumpRun> channel)
    {
        var (d, e, c) = (Figures.Median(direct.Select(r => r.DumpSeconds)), Figures.Median(exec.Select(r => r.DumpSeconds)), Figures.Median(channel.Select(r => r.DumpSeconds)));
        var bytes = exec[^1].DumpBytes;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {database} | {bytes / 1e6:0} MB | {d:0.00} s | {bytes / 1e6 / d:0.0} MB/s | {e:0.00} s | {bytes / 1e6 / e:0.0} MB/s | {e / d:0.00}× | {Figures.Runs(channel.Select(r => r.DumpSeconds))} | {channel[^1].DumpBytes / 1e6 / c:0} MB/s | {channel.Max(r => r.Process.PeakRssMiB):0} MiB |");
    }

    public static string DrillRow(string database, List<RestoreRun> plain, List<RestoreRun> drilled, List<string> loads)
    {
        var (p, rto) = (Figures.Median(plain.Select(r => r.RestoreSeconds)), Figures.Median(drilled.Select(r => r.RtoSeconds)));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {database} | {Figures.Runs(plain.Select(r => r.RestoreSeconds))} | {p:0.00} s | {Figures.Runs(drilled.Select(r => r.RestoreSeconds))} | {Figures.Runs(drilled.Select(r => r.RtoSeconds))} | **{rto:0.00} s** | {rto / p:0.00}× | {Figures.Median(drilled.Select(r => r.Process.Seconds)):0.00} s | {drilled.Min(r => r.Process.PeakRssMiB):0}–{drilled.Max(r => r.Process.PeakRssMiB):0} MiB | {string.Join(", ", loads)} |");
    }

    public static string Line(string size, int round, string tool, DumpRun run) => string.Create(CultureInfo.InvariantCulture,
        $"{size} round {round + 1}: {tool}: {run.Process.Seconds:0.00} s (dump {run.DumpSeconds:0.00} s, verification {run.VerifySeconds:0.00} s), {run.Process.PeakRssMiB:0} MiB, CPU {run.Process.CpuSeconds:0.0} s, {run.DumpBytes / 1e6:0.0} MB; load {Figures.Load()}");
}
