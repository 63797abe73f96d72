using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Strata.Infra.Tests;

/// <summary>
/// infra/ through the Bicep CLI as CI runs it: build and lint with no diagnostic at all, the production parameter
/// file compiles, a parameter file missing a required value fails naming it, a parameter combination that cannot work
/// (private Service Bus on Standard) fails its offline evaluation (<c>bicep snapshot</c>) saying why, and nothing needs the network.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class BicepCliTests(CompiledInfra compiled)
{
    private static string MainBicep => Path.Combine(Bicep.InfraFolder, "main.bicep");

    private static string ProductionParameters => Path.Combine(Bicep.InfraFolder, "main.prod.bicepparam");

    [Fact]
    public void Build_MainTemplate_ExitsZeroWithNoDiagnostics()
    {
        Assert.Equal(0, compiled.Build.ExitCode);
        Assert.Empty(Bicep.Diagnostics(compiled.Build.All));
    }

    [Fact]
    public async Task Lint_MainTemplate_ReportsNoWarningOrError()
    {
        var lint = await Bicep.RunAsync("lint", MainBicep);

        Assert.True(lint.ExitCode == 0, lint.All);
        Assert.Empty(Bicep.Diagnostics(lint.All));
    }

    [Fact]
    public async Task Lint_ProductionParameters_ReportsNoWarningOrError()
    {
        var lint = await Bicep.RunAsync("lint", ProductionParameters);

        Assert.True(lint.ExitCode == 0, lint.All);
        Assert.Empty(Bicep.Diagnostics(lint.All));
    }

    [Fact]
    public async Task BuildParams_ProductionFile_SetsEveryRequiredParameter()
    {
        var run = await Bicep.RunAsync("build-params", ProductionParameters, "--stdout");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Empty(Bicep.Diagnostics(run.Error));
        var values = JsonNode.Parse((string)JsonNode.Parse(run.Output)!["parametersJson"]!)!["parameters"]!.AsObject();
        Assert.All(RequiredParameters(), name => Assert.True(values.ContainsKey(name), $"main.prod.bicepparam does not set the required parameter {name}"));
    }

    [Fact]
    public void Parameters_RequiredOnes_AreTheInstallationsOwnChoices()
    {
        // No default where only the installation can decide: its name, how long backups are write-once, its clusters.
        Assert.Equal(["aksClusters", "artifactRetentionDays", "name"], RequiredParameters().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BuildParams_MissingRequiredValue_FailsNamingTheParameter()
    {
        var production = await File.ReadAllLinesAsync(ProductionParameters);
        foreach (var name in RequiredParameters())
        {
            var folder = Directory.CreateTempSubdirectory("strata-params-").FullName;
            try
            {
                // `using` takes a relative path: point it back at infra/main.bicep from the temporary folder.
                var relative = Path.GetRelativePath(folder, MainBicep).Replace('\\', '/');
                var file = Path.Combine(folder, "missing.bicepparam");
                await File.WriteAllLinesAsync(file, WithoutParameter(production, name).Select(line => line.StartsWith("using ", StringComparison.Ordinal) ? $"using '{relative}'" : line));

                var run = await Bicep.RunAsync("build-params", file, "--stdout");

                Assert.True(run.ExitCode != 0, $"build-params accepted a file without {name}:\n{run.All}");
                Assert.Contains("missing an assignment", run.Error, StringComparison.Ordinal);
                Assert.Contains($"\"{name}\"", run.Error, StringComparison.Ordinal);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Modules_AreLocalFiles_SoBuildNeedsNoRegistry()
    {
        var files = Directory.GetFiles(Bicep.InfraFolder, "*.bicep*", SearchOption.AllDirectories);
        foreach (var file in files)
        {
            foreach (Match reference in ModuleOrImport().Matches(File.ReadAllText(file)))
            {
                var path = reference.Groups["path"].Value;
                Assert.False(path.StartsWith("br:", StringComparison.Ordinal) || path.StartsWith("br/", StringComparison.Ordinal) || path.StartsWith("ts:", StringComparison.Ordinal),
                    $"{Path.GetRelativePath(Bicep.InfraFolder, file)} refers to a registry ({path}): CI builds offline");
                Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(file)!, path)), $"{Path.GetRelativePath(Bicep.InfraFolder, file)}: {path} does not exist");
            }
        }
    }

    [Theory]
    [InlineData("Standard", "Enabled")]
    [InlineData("Premium", "Disabled")]
    [InlineData("Premium", "Enabled")]
    public async Task Snapshot_ServiceBusSkuAndNetworkAccessThatWork_Evaluate(string sku, string access)
    {
        var run = await SnapshotAsync(sku, access);

        Assert.True(run.ExitCode == 0, $"serviceBusSku {sku} with publicNetworkAccess {access}:\n{run.All}");
    }

    [Fact]
    public async Task Snapshot_PrivateServiceBusOnStandard_FailsSayingPremiumIsNeeded()
    {
        // Standard has no private endpoints: a namespace with public access off would be reachable by nothing.
        var run = await SnapshotAsync("Standard", "Disabled");

        Assert.True(run.ExitCode != 0, $"bicep snapshot accepted serviceBusSku Standard with publicNetworkAccess Disabled:\n{run.All}");
        Assert.Contains("publicNetworkAccess 'Disabled' needs serviceBusSku 'Premium'", run.All, StringComparison.Ordinal);
        Assert.Contains("no private endpoints", run.All, StringComparison.Ordinal);
    }

    // The production file with the Service Bus tier and network access replaced, evaluated offline as a deployment would be
    // (`bicep snapshot`: parameters, variables and fail() resolved against placeholder subscription and resource group).
    private static async Task<BicepRun> SnapshotAsync(string sku, string access)
    {
        var production = await File.ReadAllLinesAsync(ProductionParameters);
        Assert.Contains("param serviceBusSku = 'Standard'", production);
        Assert.Contains("param publicNetworkAccess = 'Enabled'", production);
        var folder = Directory.CreateTempSubdirectory("strata-params-").FullName;
        try
        {
            var relative = Path.GetRelativePath(folder, MainBicep).Replace('\\', '/');
            var file = Path.Combine(folder, "network.bicepparam");
            await File.WriteAllLinesAsync(file, production.Select(line => line switch
            {
                _ when line.StartsWith("using ", StringComparison.Ordinal) => $"using '{relative}'",
                "param serviceBusSku = 'Standard'" => $"param serviceBusSku = '{sku}'",
                "param publicNetworkAccess = 'Enabled'" => $"param publicNetworkAccess = '{access}'",
                _ => line,
            }));

            return await Bicep.RunAsync(
                "snapshot", file, "--mode", "overwrite",
                "--subscription-id", "00000000-0000-0000-0000-000000000000", "--resource-group", "rg-strata", "--location", "westeurope");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private IEnumerable<string> RequiredParameters() =>
        compiled.Main.Parameters.Where(p => !p.Value!.AsObject().ContainsKey("defaultValue") && p.Value!["nullable"]?.GetValue<bool>() != true).Select(p => p.Key);

    // Drops `param NAME = …` and the lines of its value (up to the next line that starts a statement or a comment).
    private static IEnumerable<string> WithoutParameter(IEnumerable<string> lines, string name)
    {
        var skipping = false;
        foreach (var line in lines)
        {
            if (line.StartsWith($"param {name} ", StringComparison.Ordinal))
            {
                skipping = true;
                continue;
            }

            if (skipping && (line.StartsWith("param ", StringComparison.Ordinal) || line.StartsWith("//", StringComparison.Ordinal) || line.Length == 0))
            {
                skipping = false;
            }

            if (!skipping)
            {
                yield return line;
            }
        }
    }

    [GeneratedRegex(@"^\s*(?:module\s+\w+|import\s+.+?\s+from|using)\s+'(?<path>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleOrImport();
}
