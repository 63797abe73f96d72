using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using Strata.Core.Kubernetes;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// The kinds Strata itself creates and removes — a drill's scratch Namespaces, the Pods that copy
/// control-plane files — through the SDK's typed calls (<c>CoreV1</c>: create and delete), on the
/// same connection, credentials and retries as every other call (<see cref="CallAsync{T}"/>).
/// </summary>
/// <remarks>
/// A typed model keeps only the fields it knows, and writes its timestamps in its own format. So a
/// create goes typed only when the body survives the model unchanged (Strata's own bodies do); a body
/// with a field the model lacks (a restore of a newer cluster's object) goes raw, whole. What a typed
/// create returns is the model's view of the object; its callers read known fields only (name, uid).
/// A delete's answer is not read. Gets stay raw whatever the kind (<see cref="GetAsync"/>): restore,
/// assertions and volume inventories read them, and must see every field as the server sent it; so
/// do lists, capture's path (<see cref="ListAsync"/>).
/// </remarks>
public sealed partial class KubernetesClient
{
    private enum TypedKind
    {
        None,
        Namespace,
        Pod,
    }

    private static TypedKind TypedKindOf(ApiResource resource, string? ns) => (resource.Group, resource.Version, resource.Name, ns) switch
    {
        ("", "v1", "namespaces", null) => TypedKind.Namespace,
        ("", "v1", "pods", not null) => TypedKind.Pod,
        _ => TypedKind.None,
    };

    private Task<KubeObject> CreateTypedAsync(object model, string? ns, bool dryRun, string path, CancellationToken cancellationToken)
    {
        var dry = dryRun ? "All" : null;
        return CallAsync($"POST {path}", mutating: true, async ct => model switch
        {
            V1Namespace namespaceModel => ToObject(await _api.CoreV1.CreateNamespaceAsync(namespaceModel, dryRun: dry, cancellationToken: ct)),
            _ => ToObject(await _api.CoreV1.CreateNamespacedPodAsync((V1Pod)model, ns!, dryRun: dry, cancellationToken: ct)),
        }, cancellationToken);
    }

    private Task<bool> DeleteTypedAsync(TypedKind kind, string? ns, string name, string path, CancellationToken cancellationToken) =>
        CallAsync($"DELETE {path}", mutating: true, async ct =>
        {
            // The answer (a Status, or the object while it terminates) is not needed.
            if (kind == TypedKind.Namespace)
            {
                await _api.CoreV1.DeleteNamespaceAsync(name, cancellationToken: ct);
            }
            else
            {
                await _api.CoreV1.DeleteNamespacedPodAsync(name, ns!, cancellationToken: ct);
            }

            return true;
        }, cancellationToken);

    /// <summary>The body as the kind's model, or null when the model would lose or change part of it.</summary>
    private object? ToModel(TypedKind kind, JsonObject body)
    {
        var type = kind == TypedKind.Namespace ? typeof(V1Namespace) : typeof(V1Pod);
        try
        {
            var model = body.Deserialize(TypeInfo(type));
            return model is not null && JsonNode.DeepEquals(body, JsonSerializer.SerializeToNode(model, TypeInfo(type))) ? model : null;
        }
        catch (JsonException)
        {
            return null; // the server will say what is wrong with it
        }
    }

    private KubeObject ToObject<T>(T model) =>
        new(JsonSerializer.SerializeToNode(model, TypeInfo(typeof(T))) as JsonObject
            ?? throw new KubernetesApiException($"the server answered with no {typeof(T).Name}", 200, null));

    private JsonTypeInfo TypeInfo(Type type) => Connection.Configuration.JsonSerializerOptions.GetTypeInfo(type);
}
