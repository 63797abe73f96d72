using Strata.Dashboard.Tests.Browser;
using Strata.TestKit;

namespace Strata.Dashboard.Tests;

/// <summary>For a test class: the <see cref="FleetWorld"/>, <c>strata serve</c> over it, and Chromium.</summary>
public sealed class ServedFleet : IAsyncLifetime
{
    public FleetWorld World { get; private set; } = null!;

    public StrataServe Serve { get; private set; } = null!;

    public Chromium Chromium { get; } = new();

    public async Task InitializeAsync()
    {
        // The browser first: where it is missing, that is the failure to read, before the world is built.
        await Chromium.InitializeAsync();
        World = await FleetWorld.StartAsync();
        Serve = await StrataServe.StartAsync(World);
    }

    public async Task DisposeAsync()
    {
        if (Serve is not null)
        {
            await Serve.DisposeAsync();
        }

        if (World is not null)
        {
            await World.DisposeAsync();
        }

        await Chromium.DisposeAsync();
    }
}
