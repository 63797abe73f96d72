namespace Strata.Core.Drills;

/// <summary>A condition an object must report in <c>status.conditions</c>, as <c>Available=True</c>.</summary>
/// <param name="Type">The condition type, e.g. <c>Available</c>.</param>
/// <param name="Status">Its status: <c>True</c>, <c>False</c> or <c>Unknown</c>.</param>
public sealed record ExpectedCondition(string Type, string Status)
{
    /// <summary>Reads <c>Type=Status</c>; false with the reason when it is not that shape.</summary>
    public static bool TryParse(string text, out ExpectedCondition? condition, out string? error)
    {
        condition = null;
        var parts = text.Split('=');
        if (parts.Length != 2 || parts[0].Trim().Length == 0)
        {
            error = $"'{text}' is not Type=Status (e.g. Available=True)";
            return false;
        }

        var status = parts[1].Trim();
        if (status is not ("True" or "False" or "Unknown"))
        {
            error = $"'{status}' in '{text}' is not a condition status (True, False or Unknown)";
            return false;
        }

        error = null;
        condition = new ExpectedCondition(parts[0].Trim(), status);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}={Status}";
}
