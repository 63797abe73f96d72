using System.Text.Json.Nodes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// A write the store accepted, as a watch would show it to a controller: the object as stored,
/// and before (null when it was created). <see cref="Subresource"/> is <c>status</c> or
/// <c>finalize</c> when the write went through one.
/// </summary>
internal sealed record ObjectWrite(ResourceType Type, string? Subresource, JsonObject Object, JsonObject? Previous)
{
    public bool IsCreate => Previous is null;
}
