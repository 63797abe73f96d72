using System.Text.Json.Nodes;
using Strata.Sandbox.Http;

namespace Strata.Sandbox;

/// <summary>
/// A ValidatingAdmissionPolicy with its binding. A refusal reads
/// <c>{resource} "{name}" is forbidden: ValidatingAdmissionPolicy 'NAME' with binding 'BINDING' denied request: WHY</c>,
/// with the validation's reason (Invalid, 422, unless set) and the message as the one cause.
/// </summary>
public sealed record AdmissionPolicy(string Name, Func<AdmissionRequest, string?> Check) : AdmissionRule(Name, Check)
{
    /// <summary>The ValidatingAdmissionPolicyBinding's name (default: the policy's name).</summary>
    public string? Binding { get; init; }

    /// <summary>The validation's <c>reason</c>: Invalid (422), Forbidden (403), Unauthorized (401) or RequestEntityTooLarge (413).</summary>
    public string Reason { get; init; } = "Invalid";

    internal override ApiError Refusal(AdmissionRequest request, string why)
    {
        var message = $"ValidatingAdmissionPolicy '{Name}' with binding '{Binding ?? Name}' denied request: {why}";
        var forbidden = ApiError.Forbidden(request.Group, request.Resource, request.Name, message, new JsonArray(new JsonObject { ["message"] = message }));
        var code = Reason switch
        {
            "Forbidden" => 403,
            "Unauthorized" => 401,
            "RequestEntityTooLarge" => 413,
            _ => 422,
        };
        return new ApiError(code, Reason, forbidden.Message, forbidden.Details);
    }
}
