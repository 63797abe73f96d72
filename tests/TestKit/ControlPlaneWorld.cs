using Strata.Adapters.Hosting;
using Strata.Adapters.Kubernetes;
using Strata.Core.ControlPlane;
using Strata.Sandbox;

namespace Strata.TestKit;

/// <summary>
/// A control plane over two sandbox API servers, "prod" (the sample application) and "dr"
/// (empty), configured in a real strata.yaml (server, CA file, token from an environment
/// variable), with the local store and history in a temporary folder and a clock the test moves.
/// </summary>
public sealed class ControlPlaneWorld : IAsyncDisposable
{
    private IDisposable? _resources;

    private ControlPlaneWorld(SandboxApiServer prod, SandboxApiServer dr, TempDirectory dir, ManualClock clock)
    {
        Prod = prod;
        Dr = dr;
        Dir = dir;
        Clock = clock;
        Variables["PROD_TOKEN"] = prod.AdminToken;
        Variables["DR_TOKEN"] = dr.AdminToken;
        // A cluster a test takes down fails the run after 2 s, not the default 2 min.
        Variables[KubernetesSettings.OutageBudget] = "2";
    }

    /// <summary>The cluster with the sample application.</summary>
    public SandboxApiServer Prod { get; }

    /// <summary>The empty cluster.</summary>
    public SandboxApiServer Dr { get; }

    /// <summary>Holds strata.yaml, the CA files, the store and the history.</summary>
    public TempDirectory Dir { get; }

    /// <summary>The control plane's clock.</summary>
    public ManualClock Clock { get; }

    /// <summary>Environment variables (app settings) the control plane sees.</summary>
    public Dictionary<string, string> Variables { get; } = [];

    /// <summary>strata.yaml.</summary>
    public string ConfigPath => Path.Combine(Dir.Path, "strata.yaml");

    /// <summary>The store folder.</summary>
    public string Store => Path.Combine(Dir.Path, "store");

    /// <summary>The store and history.</summary>
    public StoreLocation Location { get; private set; } = null!;

    /// <summary>The control plane.</summary>
    public ControlPlaneContext Context { get; private set; } = null!;

    /// <summary>How alert channels post (set to a <see cref="Alerts.WebhookSink"/>'s options, then <see cref="LoadAsync"/>); default the real transport.</summary>
    public Adapters.Alerts.AlertDeliveryOptions? AlertDelivery { get; set; }

    /// <summary>
    /// Starts both sandboxes (with <paramref name="prodOptions"/> and <paramref name="drOptions"/>, e.g. simulated
    /// controllers for drills) and writes strata.yaml: both clusters, and <paramref name="policies"/>
    /// (YAML list items; default: one policy "minutely" on every cluster, every minute), and <paramref name="alerts"/>
    /// (the <c>alerts:</c> section, whole, if any), its channels posting as <paramref name="alertDelivery"/> says.
    /// </summary>
    public static async Task<ControlPlaneWorld> StartAsync(
        string? policies = null, DateTimeOffset? start = null, string? alerts = null, Adapters.Alerts.AlertDeliveryOptions? alertDelivery = null,
        SandboxOptions? prodOptions = null, SandboxOptions? drOptions = null)
    {
        var prod = await SandboxApiServer.StartAsync(prodOptions);
        var dr = await SandboxApiServer.StartAsync(drOptions);
        SampleApplication.Seed(prod);
        var world = new ControlPlaneWorld(prod, dr, new TempDirectory(), new ManualClock(start ?? new DateTimeOffset(2026, 11, 21, 10, 0, 30, TimeSpan.Zero)))
        {
            AlertDelivery = alertDelivery,
        };
        world.Dir.File("prod-ca.pem", prod.Certificates.AuthorityPem);
        world.Dir.File("dr-ca.pem", dr.Certificates.AuthorityPem);
        const string Minutely = """
              - name: minutely
                clusters: ["*"]
                schedule: "* * * * *"
                retention: { keepLast: 2, minVerifiedKept: 1 }
            """;
        world.Dir.File("strata.yaml", string.Join('\n',
            "clusters:",
            "  - name: prod",
            $"    server: {prod.Url.AbsoluteUri}",
            $"    certificateAuthority: {Path.Combine(world.Dir.Path, "prod-ca.pem")}",
            "    token: { env: PROD_TOKEN }",
            "    tags: { env: prod }",
            "  - name: dr",
            $"    server: {dr.Url.AbsoluteUri}",
            $"    certificateAuthority: {Path.Combine(world.Dir.Path, "dr-ca.pem")}",
            "    token: { env: DR_TOKEN }",
            "policies:",
            policies ?? Minutely,
            alerts ?? "") + "\n");
        await world.LoadAsync();
        return world;
    }

    /// <summary>(Re)builds the control plane from strata.yaml.</summary>
    public async Task LoadAsync()
    {
        _resources?.Dispose();
        Location = StoreLocation.Resolve(Store, null, null, Variable, Dir.Path);
        (Context, _resources) = await ControlPlaneFactory.CreateAsync(ConfigPath, Location, Variable, Clock, alertDelivery: AlertDelivery);
    }

    /// <summary>Reads the world's environment.</summary>
    public string? Variable(string name) => Variables.GetValueOrDefault(name);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _resources?.Dispose();
        await Prod.DisposeAsync();
        await Dr.DisposeAsync();
        Dir.Dispose();
    }
}
