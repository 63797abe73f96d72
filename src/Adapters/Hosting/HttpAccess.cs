namespace Strata.Adapters.Hosting;

/// <summary>Who may call an HTTP function before the handler sees the request.</summary>
public enum HttpAccess
{
    /// <summary>Anyone (platform probes carry no key).</summary>
    Anonymous,

    /// <summary>A caller with a function key (<c>authLevel: function</c>); the key stays with the Functions host.</summary>
    FunctionKey,
}
