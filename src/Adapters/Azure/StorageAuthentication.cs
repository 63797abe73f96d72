using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace Strata.Adapters.Azure;

/// <summary>How requests are authorized: an account key (SharedKey) or an Entra ID token.</summary>
public abstract record StorageAuthentication
{
    /// <summary>The scope storage tokens are asked for.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    /// <summary>SharedKey with the account key (Azurite, or accounts that allow keys).</summary>
    public sealed record Key(StorageSharedKey SharedKey) : StorageAuthentication;

    /// <summary>Bearer tokens from a credential (managed identity, workload identity, <c>DefaultAzureCredential</c>).</summary>
    public sealed record Token(TokenCredential Credential) : StorageAuthentication;

    internal HttpPipelinePolicy Policy(StorageService service, TimeProvider time) => this switch
    {
        Key key => new SharedKeyPolicy(key.SharedKey, service, time),
        Token token => new BearerTokenAuthenticationPolicy(token.Credential, StorageScope),
        _ => throw new InvalidOperationException(GetType().Name),
    };
}
