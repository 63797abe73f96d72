namespace Strata.Adapters.Dashboard;

/// <summary>
/// The status page's colours, light and dark, as foreground/background pairs: every pair a reader sees text in, so a
/// test can check each against WCAG AA (4.5:1) rather than trusting the eye. <see cref="PageStyle"/> is written from them.
/// </summary>
/// <param name="Text">Body text.</param>
/// <param name="Background">The page.</param>
/// <param name="Muted">Secondary text (times, ids) on the page.</param>
/// <param name="Link">Links on the page.</param>
/// <param name="Focus">The focus outline (a non-text contrast, 3:1 is enough; it meets 4.5:1 anyway).</param>
/// <param name="Rule">Table rules and chart axes (decoration; values are in text beside them).</param>
/// <param name="Fresh">Text on a fresh cell.</param>
/// <param name="FreshBackground">A fresh cell.</param>
/// <param name="AtRisk">Text on an at-risk cell.</param>
/// <param name="AtRiskBackground">An at-risk cell.</param>
/// <param name="Breached">Text on a breached cell.</param>
/// <param name="BreachedBackground">A breached cell.</param>
/// <param name="NeverProven">Text on a never-proven cell.</param>
/// <param name="NeverProvenBackground">A never-proven cell.</param>
/// <param name="None">Text on a cell the policy does not cover.</param>
/// <param name="NoneBackground">Such a cell.</param>
/// <param name="Series">Chart lines and points (on the page's background).</param>
/// <param name="Objective">The chart's objective line and its label (on the page's background).</param>
public sealed record PageColors(
    string Text, string Background, string Muted, string Link, string Focus, string Rule,
    string Fresh, string FreshBackground, string AtRisk, string AtRiskBackground, string Breached, string BreachedBackground,
    string NeverProven, string NeverProvenBackground, string None, string NoneBackground, string Series, string Objective)
{
    /// <summary>The light scheme (the default).</summary>
    public static PageColors Light { get; } = new(
        Text: "#1b1f24", Background: "#ffffff", Muted: "#525a63", Link: "#0b57d0", Focus: "#0b57d0", Rule: "#8c959f",
        Fresh: "#0f4d22", FreshBackground: "#dcf3e3", AtRisk: "#5c3a00", AtRiskBackground: "#fff1c7",
        Breached: "#7d0a17", BreachedBackground: "#fde2e4", NeverProven: "#2d3744", NeverProvenBackground: "#e6ebf1",
        None: "#4a525b", NoneBackground: "#f4f5f7", Series: "#0b57d0", Objective: "#a4141f");

    /// <summary>The dark scheme (<c>prefers-color-scheme: dark</c>).</summary>
    public static PageColors Dark { get; } = new(
        Text: "#e6e9ee", Background: "#14171b", Muted: "#a7b0ba", Link: "#8ab4f8", Focus: "#8ab4f8", Rule: "#6b7580",
        Fresh: "#b6f0c6", FreshBackground: "#123821", AtRisk: "#ffe08a", AtRiskBackground: "#3d2e05",
        Breached: "#ffc2c7", BreachedBackground: "#4a1219", NeverProven: "#d3dbe5", NeverProvenBackground: "#2a323c",
        None: "#b4bcc6", NoneBackground: "#1f2328", Series: "#8ab4f8", Objective: "#ff9aa2");

    /// <summary>Every pair a reader sees text in: (what, foreground, background).</summary>
    public IReadOnlyList<(string What, string Foreground, string Background)> TextPairs =>
    [
        ("text", Text, Background), ("muted", Muted, Background), ("link", Link, Background), ("focus", Focus, Background),
        ("series", Series, Background), ("objective", Objective, Background),
        ("fresh", Fresh, FreshBackground), ("at-risk", AtRisk, AtRiskBackground), ("breached", Breached, BreachedBackground),
        ("never-proven", NeverProven, NeverProvenBackground), ("none", None, NoneBackground),
    ];
}
