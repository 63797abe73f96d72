using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// An error the sandbox answers with a <c>Status</c> object, shaped and worded as
/// kube-apiserver's <c>apierrors</c> package words them.
/// </summary>
public sealed class ApiError(int code, string reason, string message, JsonObject? details = null, int? retryAfterSeconds = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    /// <summary>A <c>metadata.continue</c> to return with a 410 (an inconsistent continuation).</summary>
    public string? Continue { get; init; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = Continue is null ? new JsonObject() : new JsonObject { ["continue"] = Continue },
            ["status"] = "Failure",
            ["message"] = Message,
        };
        if (Reason.Length > 0)
        {
            status["reason"] = Reason;
        }

        if (Details is not null)
        {
            status["details"] = Details;
        }

        status["code"] = Code;
        return status;
    }

    public static ApiError NotFound(string qualifiedResource, string name) =>
        new(404, "NotFound", $"{qualifiedResource} \"{name}\" not found", DetailsOf(qualifiedResource, name));

    public static ApiError NoSuchResource() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiError AlreadyExists(string qualifiedResource, string name) =>
        new(409, "AlreadyExists", $"{qualifiedResource} \"{name}\" already exists", DetailsOf(qualifiedResource, name));

    public static ApiError Conflict(string qualifiedResource, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {qualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            DetailsOf(qualifiedResource, name));

    public static ApiError Invalid(string kind, string name, string field, string detail, string group = "") =>
        Invalid(kind, group, name, [new FieldError("FieldValueInvalid", field, detail)]);

    /// <summary>
    /// 422 Invalid, as <c>apierrors.NewInvalid</c>: the kind qualified by its group
    /// (<c>Deployment.apps</c>), one error as is, several in brackets, one cause per error.
    /// </summary>
    internal static ApiError Invalid(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var qualified = group.Length == 0 ? kind : $"{kind}.{group}";
        var aggregate = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
        return new(422, "Invalid", $"{qualified} \"{name}\" is invalid: {aggregate}", new JsonObject
        {
            ["name"] = name,
            ["group"] = group,
            ["kind"] = kind,
            ["causes"] = new JsonArray([.. errors.Select(e => (JsonNode)e.ToCause())]),
        });
    }

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>
    /// 403 Forbidden as kube-apiserver answers an authorization denial (<c>responsewriters.Forbidden</c> through
    /// <c>apierrors.NewForbidden</c>): <c>{resource}.{group} "{name}" is forbidden: User "{user}" cannot {verb} resource
    /// "{resource/subresource}" in API group "{group}" in the namespace "{ns}"</c> (or <c>at the cluster scope</c>), then
    /// <c>: {reason}</c> when the authorizer gave one; details name the group, the resource as kind, and the name.
    /// A non-resource request: <c>forbidden: User "{user}" cannot get path "/apis"</c>, empty details.
    /// </summary>
    public static ApiError Forbidden(string user, Security.AccessRequest request, string reason = "")
    {
        var why = request.IsResourceRequest
            ? $"User \"{user}\" cannot {request.Verb} resource \"{request.CombinedResource}\" in API group \"{request.Group}\" "
                + (request.Namespace is { Length: > 0 } ns ? $"in the namespace \"{ns}\"" : "at the cluster scope")
            : $"User \"{user}\" cannot {request.Verb} path \"{request.Path}\"";
        if (reason.Length > 0)
        {
            why += ": " + reason;
        }

        if (!request.IsResourceRequest)
        {
            return new ApiError(403, "Forbidden", $"forbidden: {why}", new JsonObject());
        }

        var qualified = request.Group.Length == 0 ? request.Resource : $"{request.Resource}.{request.Group}";
        var subject = request.Name is null ? qualified : $"{qualified} \"{request.Name}\"";
        var details = new JsonObject();
        if (request.Name is not null)
        {
            details["name"] = request.Name;
        }

        if (request.Group.Length > 0)
        {
            details["group"] = request.Group;
        }

        details["kind"] = request.Resource;
        return new ApiError(403, "Forbidden", $"{subject} is forbidden: {why}", details);
    }

    /// <summary>
    /// 403 Forbidden as <c>apierrors.NewForbidden</c> words it for admission:
    /// <c>{resource}.{group} "{name}" is forbidden: {why}</c>, with optional causes.
    /// </summary>
    public static ApiError Forbidden(string group, string resource, string name, string why, JsonArray? causes = null)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = resource;
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        var qualified = group.Length == 0 ? resource : $"{resource}.{group}";
        return new ApiError(403, "Forbidden", $"{qualified} \"{name}\" is forbidden: {why}", details);
    }

    public static ApiError TooManyRequests(int retryAfterSeconds) =>
        new(429, "TooManyRequests", "Too many requests, please try again later.",
            new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds }, retryAfterSeconds);

    public static ApiError Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    public static ApiError Expired(string? inconsistentContinue) =>
        new(410, "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
        {
            Continue = inconsistentContinue,
        };

    private static JsonObject DetailsOf(string qualifiedResource, string name)
    {
        var dot = qualifiedResource.IndexOf('.', StringComparison.Ordinal);
        var details = new JsonObject { ["name"] = name };
        if (dot > 0)
        {
            details["group"] = qualifiedResource[(dot + 1)..];
        }

        details["kind"] = dot > 0 ? qualifiedResource[..dot] : qualifiedResource;
        return details;
    }
}
