using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Commands;
using Strata.Core.Databases;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Applications;

/// <summary>
/// The application-dumps layer: each <see cref="ApplicationDump"/> of the policy runs its command in its pod; its stdout,
/// or the file it left (streamed back with <c>cat</c>, never copied whole), goes to the store with its SHA-256 and is
/// committed only when the command exited 0; then the stored artifact is read back into the application's own check.
/// A failure is an error of that item; the other items and layers go on.
/// </summary>
public sealed class ApplicationLayer(IReadOnlyList<ApplicationDump> dumps, IClusterReader cluster, IPodExec exec) : IBackupLayer
{
    /// <summary>The resource name problems of this layer carry.</summary>
    public const string Resource = "applications";

    /// <inheritdoc />
    public string Name => Resource;

    /// <inheritdoc />
    public async Task<LayerCapture> CaptureAsync(LayerContext context, CancellationToken cancellationToken = default)
    {
        var records = new List<ApplicationDumpRecord>();
        foreach (var dump in dumps)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(dump.Timeout);
            try
            {
                if (await DumpAsync(context, dump, timeout.Token) is { } record)
                {
                    records.Add(record);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                context.Result.Error($"application dump {dump.Qualified} took longer than its timeout ({dump.Timeout}) and was stopped", Resource, dump.Namespace, dump.Name, ProblemReasons.Timeout);
            }
            catch (DatabaseTargetException e)
            {
                context.Result.Error(e.Message, Resource, dump.Namespace, dump.Name, ProblemReasons.DumpFailed);
            }
        }

        return new LayerCapture([.. records.Select(r => new ArtifactEntry(r.Path, r.Size, r.Sha256))]) { Applications = records };
    }

    private async Task<ApplicationDumpRecord?> DumpAsync(LayerContext context, ApplicationDump dump, CancellationToken cancellationToken)
    {
        var what = $"application dump {dump.Qualified}";
        var pod = await PodLocator.FindAsync(cluster, dump.Namespace, dump.Pod, dump.PodSelector, what, cancellationToken);
        var executor = new PodToolExecutor(exec, dump.Namespace, pod, dump.Container);
        var started = context.Time.GetTimestamp();
        var startedAt = context.Time.GetUtcNow();
        var path = ArtifactLayout.ApplicationDumpPath(dump.Namespace, dump.Name, dump.Artifact);
        string? file = null;
        await using var upload = await context.Store.CreateAsync(ArtifactLayout.ArtifactKey(context.BackupPrefix, path), cancellationToken);
        var output = new DumpStream(upload.Content, reader: null);
        Func<Stream, CancellationToken, Task> copy = (stdout, ct) => output.CopyAsync(stdout, null, ct);
        var command = new DatabaseCommand([dump.Command[0]], [.. dump.Command.Skip(1)]) { TimeLimit = dump.Timeout };
        var before = dump.File is { } earlier ? await NewestAsync(executor, earlier, cancellationToken) : null;
        Expect(await executor.RunAsync(command, new CommandStreams(Stdout: dump.File is null ? copy : null), cancellationToken), command, executor, what);
        if (dump.File is { } pattern)
        {
            // The newest match, and newer than before the command: an old file (yesterday's tar) is never stored as today's.
            var after = await NewestAsync(executor, pattern, cancellationToken);
            file = after is not null && after != before ? after.Path
                : throw new DatabaseTargetException(after is null
                    ? $"{what}: the command left no file matching {pattern} in {executor.Where}"
                    : $"{what}: the command left no new file matching {pattern} in {executor.Where} (the newest, {after.Path}, was there before it ran)");
            var cat = new DatabaseCommand(["cat"], ["--", file]);
            Expect(await executor.RunAsync(cat, new CommandStreams(Stdout: copy), cancellationToken), cat, executor, what);
        }

        if (output.Size == 0)
        {
            throw new DatabaseTargetException($"{what}: {(file ?? "its output")} is empty");
        }

        await upload.CommitAsync(cancellationToken);
        if (file is not null && dump.RemoveFile)
        {
            var removed = await executor.RunAsync(new DatabaseCommand(["rm"], ["-f", "--", file]), new CommandStreams(), cancellationToken);
            if (!removed.Succeeded)
            {
                context.Result.Warning($"{what}: {file} was stored but could not be removed from the pod: {removed.Describe()}", Resource, dump.Namespace, dump.Name);
            }
        }

        var record = new ApplicationDumpRecord
        {
            Name = dump.Name,
            Namespace = dump.Namespace,
            Path = path,
            Size = output.Size,
            Sha256 = output.Sha256,
            RanIn = executor.Where,
            File = file,
            StartedAt = startedAt,
            Duration = TimeSpan.Zero,
        };
        var verification = dump.Verify is { Count: > 0 } check ? await VerifyAsync(context, executor, record, check, what, cancellationToken) : null;
        return record with { Verification = verification, Duration = context.Time.GetElapsedTime(started) };
    }

    /// <summary>Reads the stored artifact back into the application's own check; its failure is the item's error.</summary>
    private static async Task<string> VerifyAsync(LayerContext context, IToolExecutor executor, ApplicationDumpRecord record, IReadOnlyList<string> check, string what, CancellationToken cancellationToken)
    {
        await using var stored = await context.Store.OpenReadAsync(ArtifactLayout.ArtifactKey(context.BackupPrefix, record.Path), cancellationToken);
        var command = new DatabaseCommand([check[0]], [.. check.Skip(1)]) { StdinLength = record.Size };
        var exit = await executor.RunAsync(command, new CommandStreams(Stdin: stored), cancellationToken);
        if (exit.Succeeded)
        {
            return "passed";
        }

        var found = $"'{string.Join(' ', check)}' on the stored artifact {exit.Describe()}";
        context.Result.Error($"{what}: the stored artifact fails its check: {found}", Resource, record.Namespace, record.Name, ProblemReasons.DumpUnreadable);
        return found;
    }

    /// <summary>The newest file matching <paramref name="pattern"/> in the pod, with its modification time; null when none matches.</summary>
    private static async Task<PodFile?> NewestAsync(IToolExecutor executor, string pattern, CancellationToken cancellationToken)
    {
        // The pattern is the policy's, expanded by the pod's shell (unquoted $1).
        var list = new DatabaseCommand(["sh"], ["-c", "f=$(ls -1td -- $1 2>/dev/null | head -n 1); [ -z \"$f\" ] || echo \"$(stat -c %Y -- \"$f\") $f\"", "strata", pattern]);
        var (exit, output) = await ToolOutput.RunAsync(executor, list, cancellationToken);
        var line = output.Split('\n').FirstOrDefault()?.Trim();
        return exit.Succeeded && line is { Length: > 0 } && line.Split(' ', 2) is [var modified, var path] ? new PodFile(path, modified) : null;
    }

    private sealed record PodFile(string Path, string Modified);

    private static void Expect(CommandExit exit, DatabaseCommand command, IToolExecutor executor, string what)
    {
        if (!exit.Succeeded)
        {
            throw new DatabaseTargetException($"{what}: {ToolFailure.Describe(command, exit, executor)}");
        }
    }
}
