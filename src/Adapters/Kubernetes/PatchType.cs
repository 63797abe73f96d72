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
