using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.Adapters.Kubernetes;

/// <summary>Paged lists, as raw JSON: every field the server sent is kept, known to the SDK's models or not.</summary>
public sealed partial class KubernetesClient
{
    /// <summary>
    /// Streams every object of <paramref name="resource"/>, one page (<c>limit</c>) at a time.
    /// If the continue token expires (410 Expired: the server compacted the snapshot), the list
    /// restarts from a fresh snapshot and skips the objects already returned, so nothing is
    /// returned twice. Items get <c>apiVersion</c> and <c>kind</c>, which built-in lists omit.
    /// </summary>
    public async IAsyncEnumerable<KubeObject> ListAsync(
        ApiResource resource, ListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        HashSet<string>? returned = null;
        string? token = null;
        var restarts = 0;
        while (true)
        {
            KubeListPage page;
            try
            {
                page = await ReadPageAsync(resource, request, token, cancellationToken);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 410 && token is not null && restarts < _options.MaxListRestarts)
            {
                restarts++;
                token = null;
                continue;
            }

            var next = page.Metadata?.Continue;
            var paging = token is not null || !string.IsNullOrEmpty(next);
            if (paging)
            {
                returned ??= new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (var item in page.Items ?? [])
            {
                if (item is null)
                {
                    continue;
                }

                var obj = new KubeObject(item);
                if (string.IsNullOrEmpty(obj.ApiVersion))
                {
                    obj.ApiVersion = resource.ApiVersion;
                }

                if (string.IsNullOrEmpty(obj.Kind))
                {
                    obj.Kind = resource.Kind;
                }

                if (returned is not null && !returned.Add(obj.Key))
                {
                    continue;
                }

                yield return obj;
            }

            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }

            token = next;
        }
    }

    private async Task<KubeListPage> ReadPageAsync(ApiResource resource, ListRequest request, string? token, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"limit={request.PageSize}" };
        if (token is not null)
        {
            query.Add("continue=" + Uri.EscapeDataString(token));
        }

        if (!string.IsNullOrEmpty(request.LabelSelector))
        {
            query.Add("labelSelector=" + Uri.EscapeDataString(request.LabelSelector));
        }

        if (!string.IsNullOrEmpty(request.FieldSelector))
        {
            query.Add("fieldSelector=" + Uri.EscapeDataString(request.FieldSelector));
        }

        var path = ResourcePath(resource, resource.Namespaced ? request.Namespace : null, null) + "?" + string.Join('&', query);
        // The page is read from the response stream within the attempt: a connection cut mid-page
        // retries the page, from the same continue token.
        return await CallAsync($"GET {path}", mutating: false, async ct =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, ct);
            return await response.Content.ReadFromJsonAsync(ListPageJson.Default.KubeListPage, ct)
                ?? throw new KubernetesApiException($"GET {path}: empty list response", (int)response.StatusCode, null);
        }, cancellationToken);
    }

    /// <summary><c>/api/v1[/namespaces/{ns}]/{resource}[/{name}]</c> or the <c>/apis/{group}/{version}</c> form.</summary>
    internal static string ResourcePath(ApiResource resource, string? ns, string? name)
    {
        var path = resource.Group.Length == 0 ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";
        if (ns is not null)
        {
            path += "/namespaces/" + Uri.EscapeDataString(ns);
        }

        path += "/" + resource.Name;
        return name is null ? path : path + "/" + Uri.EscapeDataString(name);
    }
}
