using System.Text.Json.Nodes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>A simulated controller: told of every write and delete the store accepts, in the order they happen.</summary>
internal interface IObjectObserver
{
    void Written(ObjectWrite write);

    void Deleted(ResourceType type, JsonObject obj);
}
