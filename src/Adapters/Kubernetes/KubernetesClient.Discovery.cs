using System.Collections.Concurrent;
using System.Net.Http.Json;
using Strata.Core.Kubernetes;

namespace Strata.Adapters.Kubernetes;

/// <summary>Server version and discovery (<c>/api</c>, <c>/apis</c>, and each group-version's resource list).</summary>
public sealed partial class KubernetesClient
{
    /// <inheritdoc />
    public async Task<ServerVersion> GetServerVersionAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/version", cancellationToken: cancellationToken);
        var version = await response.Content.ReadFromJsonAsync(KubernetesJson.Default.VersionDocument, cancellationToken);
        return new ServerVersion(version?.GitVersion ?? "unknown", version?.Platform);
    }

    /// <inheritdoc />
    public async Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken = default)
    {
        var groupVersions = new List<(string Group, string Version, bool Preferred)>();
        using (var core = await SendAsync(HttpMethod.Get, "/api", cancellationToken: cancellationToken))
        {
            var versions = (await core.Content.ReadFromJsonAsync(KubernetesJson.Default.ApiVersionsDocument, cancellationToken))?.Versions ?? [];
            groupVersions.AddRange(versions.Select((v, i) => (string.Empty, v, i == 0)));
        }

        using (var apis = await SendAsync(HttpMethod.Get, "/apis", cancellationToken: cancellationToken))
        {
            var groups = (await apis.Content.ReadFromJsonAsync(KubernetesJson.Default.ApiGroupListDocument, cancellationToken))?.Groups ?? [];
            foreach (var group in groups.Where(g => !string.IsNullOrEmpty(g.Name)))
            {
                var preferred = group.PreferredVersion?.Version ?? group.Versions?.FirstOrDefault()?.Version;
                foreach (var version in group.Versions ?? [])
                {
                    if (!string.IsNullOrEmpty(version.Version))
                    {
                        groupVersions.Add((group.Name!, version.Version, version.Version == preferred));
                    }
                }
            }
        }

        var resources = new ConcurrentBag<(int Order, ApiResource Resource)>();
        var failures = new ConcurrentBag<DiscoveryFailure>();
        var indexed = groupVersions.Select((gv, i) => (gv, i));
        await Parallel.ForEachAsync(
            indexed,
            new ParallelOptions { MaxDegreeOfParallelism = _options.DiscoveryParallelism, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                var (gv, order) = entry;
                var path = gv.Group.Length == 0 ? $"/api/{gv.Version}" : $"/apis/{gv.Group}/{gv.Version}";
                try
                {
                    using var response = await SendAsync(HttpMethod.Get, path, cancellationToken: ct);
                    var list = await response.Content.ReadFromJsonAsync(KubernetesJson.Default.ApiResourceListDocument, ct);
                    foreach (var r in list?.Resources ?? [])
                    {
                        if (string.IsNullOrEmpty(r.Name) || string.IsNullOrEmpty(r.Kind))
                        {
                            continue;
                        }

                        resources.Add((order, new ApiResource(gv.Group, gv.Version, r.Name, r.Kind, r.Namespaced, r.Verbs ?? [], gv.Preferred)
                        {
                            SingularName = string.IsNullOrEmpty(r.SingularName) ? null : r.SingularName,
                            ShortNames = r.ShortNames ?? [],
                        }));
                    }
                }
                catch (KubernetesApiException e)
                {
                    failures.Add(new DiscoveryFailure(gv.Group.Length == 0 ? gv.Version : $"{gv.Group}/{gv.Version}", e.Message));
                }
            });

        return new DiscoveryResult(
            [.. resources.OrderBy(r => r.Order).ThenBy(r => r.Resource.Name, StringComparer.Ordinal).Select(r => r.Resource)],
            [.. failures.OrderBy(f => f.GroupVersion, StringComparer.Ordinal)]);
    }
}
