using Strata.Adapters.Hosting;
using Strata.Core.Backup;
using Strata.Core.ControlPlane;
using Strata.Core.Restore;
using Strata.Core.Runs;
using Strata.TestKit;
using Strata.TestKit.Fakes;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>The hosts' control plane makes the run ids Core asks for: Core's default id source only refuses.</summary>
public sealed class ControlPlaneFactoryTests
{
    [Fact]
    public async Task CreateAsync_NoOptions_CaptureAndRestoreGetRandomIds()
    {
        using var dir = new TempDirectory();
        var (context, resources) = await CreateAsync(dir, null);
        using var disposing = resources;

        Assert.Same(RandomIdSource.Instance, context.Options.Capture.Ids);
        Assert.Same(RandomIdSource.Instance, context.Options.Restore.Ids);
        var started = DateTimeOffset.UnixEpoch;
        Assert.NotEqual(BackupId.New(started, context.Options.Capture.Ids), BackupId.New(started, context.Options.Capture.Ids));
    }

    [Fact]
    public async Task CreateAsync_OptionsWithoutIds_GetRandomIds_KeepingTheRest()
    {
        using var dir = new TempDirectory();
        var (context, resources) = await CreateAsync(dir, new ControlPlaneOptions
        {
            Capture = new BackupCaptureOptions { PageSize = 7 },
            Restore = new RestoreOptions { AllowUnsigned = true },
        });
        using var disposing = resources;

        Assert.Same(RandomIdSource.Instance, context.Options.Capture.Ids);
        Assert.Same(RandomIdSource.Instance, context.Options.Restore.Ids);
        Assert.Equal(7, context.Options.Capture.PageSize);
        Assert.True(context.Options.Restore.AllowUnsigned);
    }

    [Fact]
    public async Task CreateAsync_OptionsWithAnIdSource_KeepIt()
    {
        using var dir = new TempDirectory();
        var ids = new SequentialIdSource();
        var (context, resources) = await CreateAsync(dir, new ControlPlaneOptions
        {
            Capture = new BackupCaptureOptions { Ids = ids },
            Restore = new RestoreOptions { Ids = ids },
        });
        using var disposing = resources;

        Assert.Same(ids, context.Options.Capture.Ids);
        Assert.Same(ids, context.Options.Restore.Ids);
    }

    private static Task<(ControlPlaneContext Context, IDisposable Resources)> CreateAsync(TempDirectory dir, ControlPlaneOptions? options)
    {
        var config = dir.File("strata.yaml", "clusters:\n  - name: prod\n    context: prod\npolicies:\n  - name: nightly\n    clusters: [prod]\n    schedule: \"0 2 * * *\"\n");
        return ControlPlaneFactory.CreateAsync(config, StoreLocation.Resolve(Path.Combine(dir.Path, "store"), null, null, _ => null, dir.Path), _ => null, TimeProvider.System, options);
    }
}
