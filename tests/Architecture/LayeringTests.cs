using System.Reflection;
using NetArchTest.Rules;

namespace Strata.Architecture.Tests;

/// <summary>
/// The layering of DESIGN.md, checked on the compiled assemblies: Core knows no adapter, host or SDK;
/// adapters know no host; the Functions handler knows neither the CLI nor the sandbox.
/// </summary>
public class LayeringTests
{
    private static readonly Assembly Core = typeof(Strata.Core.ControlPlane.ControlPlaneFunctions).Assembly;
    private static readonly Assembly Adapters = typeof(Strata.Adapters.Hosting.StoreLocation).Assembly;
    private static readonly Assembly Functions = typeof(Strata.Functions.FunctionCatalog).Assembly;
    private static readonly Assembly Cli = typeof(Strata.Cli.StrataCli).Assembly;

    public static TheoryData<string, string[]> Forbidden => new()
    {
        { "Core", ["Strata.Adapters", "Strata.Functions", "Strata.Cli", "Strata.Sandbox"] },

        // Core states what it needs as ports; the SDKs live behind them.
        { "Core", ["Azure", "k8s", "Npgsql", "Grpc", "Microsoft.AspNetCore", "System.Net.Http", "Polly"] },
        { "Adapters", ["Strata.Functions", "Strata.Cli", "Strata.Sandbox"] },
        { "Functions", ["Strata.Cli", "Strata.Sandbox"] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Assembly_DoesNotDependOn(string assembly, string[] forbidden)
    {
        var result = Types.InAssembly(Of(assembly)).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"{assembly} depends on {string.Join(", ", forbidden)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Rule_CanFail_WhenTheDependencyIsThere()
    {
        // The check above is only worth something if it sees real dependencies: the CLI does use the adapters.
        var result = Types.InAssembly(Cli).ShouldNot().HaveDependencyOn("Strata.Adapters").GetResult();

        Assert.False(result.IsSuccessful);
    }

    [Fact]
    public void Ports_AreInterfaces_InCore()
    {
        var result = Types.InAssembly(Core).That().ResideInNamespace("Strata.Core.Ports").And().HaveNameStartingWith("I").Should().BeInterfaces().GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    private static Assembly Of(string name) => name switch
    {
        "Core" => Core,
        "Adapters" => Adapters,
        "Functions" => Functions,
        _ => Cli,
    };
}
