using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Adapters.Kubernetes;

/// <summary>The patch formats the API server accepts.</summary>
public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch.</summary>
    Merge,

    /// <summary>Kubernetes strategic merge patch (built-in types only).</summary>
    StrategicMerge,

    /// <summary>RFC 6902 JSON patch.</summary>
    Json,
}

/// <summary>Single-object calls.</summary>
public sealed partial class KubernetesClient
{
    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<KubeObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, ResourcePath(resource, ns, name), cancellationToken: cancellationToken);
            return await ReadObjectAsync(response, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 404 && e.Reason == "NotFound")
        {
            return null;
        }
    }

    /// <summary>Creates <paramref name="body"/>; with <paramref name="dryRun"/> the server validates and persists nothing.</summary>
    public async Task<KubeObject> CreateAsync(ApiResource resource, string? ns, JsonObject body, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var path = ResourcePath(resource, ns, null) + (dryRun ? "?dryRun=All" : string.Empty);
        using var response = await SendAsync(HttpMethod.Post, path, () => JsonContent(body, "application/json"), cancellationToken);
        return await ReadObjectAsync(response, cancellationToken);
    }

    /// <summary>Replaces the object (PUT); a stale <c>resourceVersion</c> in the body answers 409 Conflict.</summary>
    public async Task<KubeObject> ReplaceAsync(ApiResource resource, string? ns, string name, JsonObject body, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var path = ResourcePath(resource, ns, name) + (dryRun ? "?dryRun=All" : string.Empty);
        using var response = await SendAsync(HttpMethod.Put, path, () => JsonContent(body, "application/json"), cancellationToken);
        return await ReadObjectAsync(response, cancellationToken);
    }

    /// <summary>Patches the object.</summary>
    public async Task<KubeObject> PatchAsync(ApiResource resource, string? ns, string name, PatchType type, JsonNode patch, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var mediaType = type switch
        {
            PatchType.Merge => "application/merge-patch+json",
            PatchType.StrategicMerge => "application/strategic-merge-patch+json",
            _ => "application/json-patch+json",
        };
        var path = ResourcePath(resource, ns, name) + (dryRun ? "?dryRun=All" : string.Empty);
        using var response = await SendAsync(HttpMethod.Patch, path, () => JsonContent(patch, mediaType), cancellationToken);
        return await ReadObjectAsync(response, cancellationToken);
    }

    /// <inheritdoc />
    public Task<KubeObject> MergePatchAsync(ApiResource resource, string? ns, string name, JsonObject patch, bool dryRun = false, CancellationToken cancellationToken = default) =>
        PatchAsync(resource, ns, name, PatchType.Merge, patch, dryRun, cancellationToken);

    /// <summary>Deletes the object; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Delete, ResourcePath(resource, ns, name), cancellationToken: cancellationToken);
            return true;
        }
        catch (KubernetesApiException e) when (e.StatusCode == 404 && e.Reason == "NotFound")
        {
            return false;
        }
    }

    private static StringContent JsonContent(JsonNode body, string mediaType)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static async Task<KubeObject> ReadObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var node = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken) as JsonObject
            ?? throw new KubernetesApiException("the server answered with something other than an object", (int)response.StatusCode, null);
        return new KubeObject(node);
    }
}
