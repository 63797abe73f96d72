namespace Strata.Core.Volumes;

/// <summary>The words strata.yaml and Velero's <c>on-error</c> annotations use for a <see cref="HookErrorMode"/>.</summary>
public static class HookErrorModes
{
    /// <summary><c>Fail</c> or <c>Continue</c> (as Velero spells them); null for anything else.</summary>
    public static HookErrorMode? TryParse(string text) => text switch
    {
        "Fail" => HookErrorMode.Fail,
        "Continue" => HookErrorMode.Continue,
        _ => null,
    };
}
