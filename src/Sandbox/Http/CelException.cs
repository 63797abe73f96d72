namespace Strata.Sandbox.Http;

/// <summary>A CEL rule the sandbox cannot parse (outside its subset), or an evaluation error (<c>no such key: name</c>), in CEL's words.</summary>
internal sealed class CelException(string message) : Exception(message);
