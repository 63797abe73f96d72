using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// Two sandbox API servers over real HTTPS — "prod" with the sample application, "dr" empty and
/// taking a moment to establish CRDs, as real servers do — reached through a merged
/// <c>KUBECONFIG</c>, and the CLI run in-process against them.
/// </summary>
public abstract class TwoClusterCli : IAsyncLifetime
{
    private string _kubeconfigs = null!;

    protected TempDirectory Dir { get; } = new();

    protected SandboxApiServer Prod { get; private set; } = null!;

    protected SandboxApiServer Dr { get; private set; } = null!;

    /// <summary>Environment variables besides HOME and KUBECONFIG.</summary>
    protected Dictionary<string, string> Variables { get; } = [];

    public async Task InitializeAsync()
    {
        Prod = await SandboxApiServer.StartAsync();
        Dr = await SandboxApiServer.StartAsync(new SandboxOptions { CrdEstablishDelay = TimeSpan.FromMilliseconds(400) });
        SampleApplication.Seed(Prod);
        _kubeconfigs = Dir.File("prod.yaml", Prod.Kubeconfig("prod")) + ":" + Dir.File("dr.yaml", Dr.Kubeconfig("dr"));
    }

    public async Task DisposeAsync()
    {
        await Prod.DisposeAsync();
        await Dr.DisposeAsync();
        Dir.Dispose();
    }

    protected async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment(
            stdout, stderr,
            name => name switch { "HOME" => Dir.Path, "KUBECONFIG" => _kubeconfigs, _ => Variables.GetValueOrDefault(name) },
            false, TimeProvider.System);
        var code = await StrataCli.RunAsync(args, environment);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
