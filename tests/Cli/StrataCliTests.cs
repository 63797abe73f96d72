namespace Strata.Cli.Tests;

/// <summary>The <c>strata</c> root command: what it promises.</summary>
public sealed class StrataCliTests
{
    [Fact]
    public async Task Help_RootDescription_NamesEveryLayerAndTheVerification()
    {
        var (code, stdout, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        foreach (var promise in new[] { "API objects", "volume snapshots", "database dumps", "etcd", "verify the backups", "restore drills" })
        {
            Assert.Contains(promise, stdout, StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, _ => null, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
