using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using Strata.Core.Kubernetes;

namespace Strata.Adapters.Kubernetes;

/// <summary>Server version and discovery (<c>/api</c>, <c>/apis</c>, and each group-version's resource list), into the SDK's models.</summary>
public sealed partial class KubernetesClient
{
    /// <inheritdoc />
    public async Task<ServerVersion> GetServerVersionAsync(CancellationToken cancellationToken = default)
    {
        var version = await CallAsync("GET /version", mutating: false, ct => _api.Version.GetCodeAsync(ct), cancellationToken);
        return new ServerVersion(version?.GitVersion ?? "unknown", version?.Platform);
    }

    /// <inheritdoc />
    public async Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken = default)
    {
        var groupVersions = new List<(string Group, string Version, bool Preferred)>();
        var core = await CallAsync("GET /api", mutating: false, ct => _api.Core.GetAPIVersionsAsync(ct), cancellationToken);
        groupVersions.AddRange((core?.Versions ?? []).Select((v, i) => (string.Empty, v, i == 0)));

        var apis = await CallAsync("GET /apis", mutating: false, ct => _api.Apis.GetAPIVersionsAsync(ct), cancellationToken);
        foreach (var group in (apis?.Groups ?? []).Where(g => !string.IsNullOrEmpty(g.Name)))
        {
            var preferred = group.PreferredVersion?.Version ?? group.Versions?.FirstOrDefault()?.Version;
            foreach (var version in group.Versions ?? [])
            {
                if (!string.IsNullOrEmpty(version.Version))
                {
                    groupVersions.Add((group.Name, version.Version, version.Version == preferred));
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
                    var list = await ReadResourceListAsync(path, ct);
                    foreach (var r in list?.Resources ?? [])
                    {
                        if (string.IsNullOrEmpty(r.Name) || string.IsNullOrEmpty(r.Kind))
                        {
                            continue;
                        }

                        resources.Add((order, new ApiResource(gv.Group, gv.Version, r.Name, r.Kind, r.Namespaced, [.. r.Verbs ?? []], gv.Preferred)
                        {
                            SingularName = string.IsNullOrEmpty(r.SingularName) ? null : r.SingularName,
                            ShortNames = [.. r.ShortNames ?? []],
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

    /// <summary>One group-version's resources. Raw, then the SDK's model: there is no typed call for a custom group.</summary>
    private Task<V1APIResourceList?> ReadResourceListAsync(string path, CancellationToken cancellationToken) =>
        CallAsync($"GET {path}", mutating: false, async ct =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, ct);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var type = (JsonTypeInfo<V1APIResourceList>)Connection.Configuration.JsonSerializerOptions.GetTypeInfo(typeof(V1APIResourceList));
            return await JsonSerializer.DeserializeAsync(stream, type, ct);
        }, cancellationToken);
}
