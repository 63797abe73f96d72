using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// Single objects of any resource, built-in or custom, as raw JSON (a restore sends back exactly
/// what it stored, and reads what the server holds); only the create and delete of Strata's own
/// Namespaces and Pods are typed (<c>KubernetesClient.Typed.cs</c>). Reads are retried; writes
/// only when the server cannot have processed them.
/// </summary>
public sealed partial class KubernetesClient
{
    /// <summary>
    /// The object as the server sent it, or null when it does not exist. Always raw, Pods and
    /// Namespaces too: restore compares and patches what it reads, and a drill's assertion may
    /// read any field (a typed read would drop those the SDK's model lacks).
    /// </summary>
    public async Task<KubeObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var path = ResourcePath(resource, ns, name);
        try
        {
            return await SendObjectAsync(HttpMethod.Get, path, null, null, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 404 && e.Reason == "NotFound")
        {
            return null;
        }
    }

    /// <summary>Creates <paramref name="body"/>; with <paramref name="dryRun"/> the server validates and persists nothing.</summary>
    public Task<KubeObject> CreateAsync(ApiResource resource, string? ns, JsonObject body, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var path = ResourcePath(resource, ns, null);
        return TypedKindOf(resource, ns) is var kind and not TypedKind.None && ToModel(kind, body) is { } model
            ? CreateTypedAsync(model, ns, dryRun, path, cancellationToken)
            : SendObjectAsync(HttpMethod.Post, path + DryRun(dryRun), body, "application/json", cancellationToken);
    }

    /// <summary>Replaces the object (PUT); a stale <c>resourceVersion</c> in the body answers 409 Conflict.</summary>
    public Task<KubeObject> ReplaceAsync(ApiResource resource, string? ns, string name, JsonObject body, bool dryRun = false, CancellationToken cancellationToken = default) =>
        SendObjectAsync(HttpMethod.Put, ResourcePath(resource, ns, name) + DryRun(dryRun), body, "application/json", cancellationToken);

    /// <summary>Patches the object.</summary>
    public Task<KubeObject> PatchAsync(ApiResource resource, string? ns, string name, PatchType type, JsonNode patch, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var mediaType = type switch
        {
            PatchType.Merge => "application/merge-patch+json",
            PatchType.StrategicMerge => "application/strategic-merge-patch+json",
            _ => "application/json-patch+json",
        };
        return SendObjectAsync(HttpMethod.Patch, ResourcePath(resource, ns, name) + DryRun(dryRun), patch, mediaType, cancellationToken);
    }

    /// <inheritdoc />
    public Task<KubeObject> MergePatchAsync(ApiResource resource, string? ns, string name, JsonObject patch, bool dryRun = false, CancellationToken cancellationToken = default) =>
        PatchAsync(resource, ns, name, PatchType.Merge, patch, dryRun, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var path = ResourcePath(resource, ns, name);
        try
        {
            if (TypedKindOf(resource, ns) is var kind and not TypedKind.None)
            {
                return await DeleteTypedAsync(kind, ns, name, path, cancellationToken);
            }

            return await CallAsync($"DELETE {path}", mutating: true, async ct =>
            {
                using var response = await SendAsync(HttpMethod.Delete, path, null, ct);
                return true;
            }, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 404 && e.Reason == "NotFound")
        {
            return false;
        }
    }

    private Task<KubeObject> SendObjectAsync(HttpMethod method, string path, JsonNode? body, string? mediaType, CancellationToken cancellationToken) =>
        CallAsync($"{method} {path}", mutating: method != HttpMethod.Get, async ct =>
        {
            using var response = await SendAsync(method, path, body is null ? null : JsonContent(body, mediaType!), ct);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var node = await JsonNode.ParseAsync(stream, documentOptions: new JsonDocumentOptions { MaxDepth = Core.Artifacts.ArchiveLimits.Default.MaxJsonDepth }, cancellationToken: ct) as JsonObject
                ?? throw new KubernetesApiException("the server answered with something other than an object", (int)response.StatusCode, null);
            return new KubeObject(node);
        }, cancellationToken);

    private static string DryRun(bool dryRun) => dryRun ? "?dryRun=All" : string.Empty;

    private static StringContent JsonContent(JsonNode body, string mediaType)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
