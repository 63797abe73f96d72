namespace Strata.Dashboard.Tests.Browser;

/// <summary>
/// Where tests leave files for people to look at (screenshots): <c>$STRATA_TEST_ARTIFACTS</c> when set — .ci/run sets
/// it to <c>artifacts/</c> at the repository root, which git ignores — else <c>artifacts/</c> beside the test assembly.
/// </summary>
public static class TestArtifacts
{
    /// <summary>The setting naming the folder.</summary>
    public const string Setting = "STRATA_TEST_ARTIFACTS";

    /// <summary>The folder, created.</summary>
    public static string Folder
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable(Setting) is { Length: > 0 } set ? Path.GetFullPath(set) : Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>The full path of artifact <paramref name="name"/>.</summary>
    public static string PathOf(string name) => Path.Combine(Folder, name);
}
