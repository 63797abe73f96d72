using Xunit;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Sandbox;

namespace Strata.TestKit;

/// <summary>A sandbox API server per test class, over real HTTPS on a loopback port.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SandboxApiServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A client for the sandbox, through a kubeconfig as a user would have it.</summary>
    public KubernetesClient Client(string? token = null, KubernetesClientOptions? options = null) =>
        new(Kubeconfig.Parse(Server.Kubeconfig("sandbox", token), "test kubeconfig").Resolve(), options);
}

/// <summary>A temporary folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "strata-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
