using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Applications;

/// <summary>
/// Application dumps through <c>pods/exec</c> of a sandbox pod whose commands run on this host: the file an
/// application's backup command leaves (newest match of a pattern) is streamed back with <c>cat</c>, committed, removed
/// from the pod when asked, and read back from the store into the application's own check; a file that fails its
/// check is an error of that item, and stdout can be the artifact too.
/// </summary>
public sealed class ApplicationDumpTests
{
    private static string Policy(string folder, string command, string verify = "[tar, -tf, \"-\"]") => $$"""
          - name: apps
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [tools] }
            applications:
              - name: toolbox-backup
                namespace: tools
                pod: toolbox-0
                container: toolbox
                command: [sh, -c, '{{command}}']
                file: {{folder}}/*_app_backup.tar
                removeFile: true
                verify: {{verify}}
              - name: settings
                namespace: tools
                pod: toolbox-0
                command: [echo, "currency=EUR"]
        """;

    [Fact]
    public async Task Backup_ApplicationCommands_FileAndStdoutStored_FileRemoved_CheckPassesOnTheStoredArtifact()
    {
        using var pod = new TempDirectory();
        var folder = pod.Path;
        var command = $"echo data > {folder}/payload.txt && tar -cf {folder}/1700000000_app_backup.tar -C {folder} payload.txt";
        await using var world = await StartAsync(Policy(folder, command));

        var record = await BackUpAsync(world);

        Assert.True(record.Status == BackupStatus.Verified, string.Join("\n", record.Problems.Select(p => p.Message)));
        var manifest = (await ManifestFile.ReadAsync(world.Location.Artifacts, record.Location))!;
        var tar = manifest.Applications!.Single(a => a.Name == "toolbox-backup");
        Assert.Equal(("applications/tools/toolbox-backup/toolbox-backup.tar", $"{folder}/1700000000_app_backup.tar", "passed"), (tar.Path, tar.File, tar.Verification));
        Assert.False(File.Exists(tar.File)); // removeFile
        var stored = await File.ReadAllBytesAsync(Path.Combine(world.Store, record.Location, tar.Path));
        Assert.Equal(tar.Size, stored.Length);
        Assert.Equal("ustar", System.Text.Encoding.ASCII.GetString(stored, 257, 5));
        var settings = manifest.Applications!.Single(a => a.Name == "settings");
        Assert.Equal("currency=EUR\n", await File.ReadAllTextAsync(Path.Combine(world.Store, record.Location, settings.Path)));
        Assert.Null(settings.Verification);
    }

    [Fact]
    public async Task Backup_FileFailsItsCheck_IsAnErrorOfThatItem_AndTheOtherItemsGoOn()
    {
        using var pod = new TempDirectory();
        var command = $"echo not-a-tar > {pod.Path}/1700000000_app_backup.tar";
        await using var world = await StartAsync(Policy(pod.Path, command));

        var record = await BackUpAsync(world);

        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.StartsWith("application dump tools/toolbox-backup: the stored artifact fails its check: 'tar -tf -' on the stored artifact exited 2", problem.Message, StringComparison.Ordinal);
        Assert.Contains(record.Artifacts!, a => a.Path == "applications/tools/settings/settings.out");
    }

    [Fact]
    public async Task Backup_CommandLeavesNoFile_OneClearLine_NothingCommitted()
    {
        using var pod = new TempDirectory();
        await using var world = await StartAsync(Policy(pod.Path, "true"));

        var record = await BackUpAsync(world);

        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal($"application dump tools/toolbox-backup: the command left no file matching {pod.Path}/*_app_backup.tar in pod tools/toolbox-0 (container toolbox)", problem.Message);
        Assert.DoesNotContain(record.Artifacts!, a => a.Path.Contains("toolbox-backup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backup_CommandLeavesOnlyAnOldFile_IsRefused_NotStoredAsTodays()
    {
        using var pod = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(pod.Path, "1600000000_app_backup.tar"), "yesterday's");
        await using var world = await StartAsync(Policy(pod.Path, "true"));

        var record = await BackUpAsync(world);

        var problem = Assert.Single(record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal($"application dump tools/toolbox-backup: the command left no new file matching {pod.Path}/*_app_backup.tar in pod tools/toolbox-0 (container toolbox) "
            + $"(the newest, {pod.Path}/1600000000_app_backup.tar, was there before it ran)", problem.Message);
        Assert.DoesNotContain(record.Artifacts!, a => a.Path.Contains("toolbox-backup", StringComparison.Ordinal));
    }

    private static async Task<ControlPlaneWorld> StartAsync(string policies)
    {
        var world = await ControlPlaneWorld.StartAsync(policies);
        world.Prod.CreateNamespace("tools");
        world.Prod.Create(SampleApplication.Pod("tools", "toolbox-0", null, "Running", container: "toolbox"));
        world.Prod.BindExec("tools", "toolbox-0", new HostProcessExec().RunAsync);
        await world.LoadAsync();
        return world;
    }

    private static async Task<BackupRecord> BackUpAsync(ControlPlaneWorld world)
    {
        var backup = new Envelope("ci-1", "ci-1", world.Clock.GetUtcNow(), new BackupRequested("prod", "apps", RequestedBy: "test"));
        await InlinePipeline.RunAsync(world.Context, backup);
        return (await world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(backup)))!;
    }
}
