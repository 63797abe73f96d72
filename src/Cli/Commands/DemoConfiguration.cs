using Strata.Sandbox;

namespace Strata.Cli.Commands;

/// <summary>The strata.yaml of the demo's control-plane parts: the sandbox as cluster <c>sandbox</c> (its CA, its token from <see cref="TokenVariable"/>), then the part's own sections.</summary>
internal static class DemoConfiguration
{
    /// <summary>The variable the sandbox's token is read from.</summary>
    public const string TokenVariable = "STRATA_DEMO_TOKEN";

    /// <summary>
    /// Writes strata.yaml (and the sandbox's CA) into <paramref name="dir"/>, with <paramref name="cluster"/>'s settings
    /// (one YAML line, such as <c>etcd: { endpoints: [...] }</c>) on the cluster and <paramref name="sections"/> after
    /// <c>clusters:</c>; returns its path.
    /// </summary>
    public static async Task<string> WriteAsync(SandboxApiServer source, string dir, string sections, string? cluster = null, CancellationToken cancellationToken = default)
    {
        var ca = Path.Combine(dir, "sandbox-ca.pem");
        await File.WriteAllTextAsync(ca, source.Certificates.AuthorityPem, cancellationToken);
        var config = Path.Combine(dir, "strata.yaml");
        await File.WriteAllTextAsync(config, $$"""
            clusters:
              - name: sandbox
                server: {{source.Url.AbsoluteUri}}
                certificateAuthority: {{ca}}
                token: { env: {{TokenVariable}} }

            """ + (cluster is null ? "" : $"    {cluster}\n") + DemoKeys.Section + sections, cancellationToken);
        return config;
    }
}
