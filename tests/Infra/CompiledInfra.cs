using System.Text.Json.Nodes;

namespace Strata.Infra.Tests;

/// <summary>infra/main.bicep compiled once for the test collection (bicep build into a temporary folder), and the run that did it.</summary>
public sealed class CompiledInfra : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-infra-" + Guid.NewGuid().ToString("N"));

    internal ArmTemplate Main { get; private set; } = null!;

    internal BicepRun Build { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var output = Path.Combine(_folder, "main.json");
        Build = await Bicep.RunAsync("build", Path.Combine(Bicep.InfraFolder, "main.bicep"), "--outfile", output);
        Assert.True(Build.ExitCode == 0, $"bicep build infra/main.bicep exited {Build.ExitCode}:\n{Build.All}");
        Main = new ArmTemplate(JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsObject());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
