namespace Strata.TestKit;

/// <summary>The repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding <c>Functions.sln</c>, above the test assembly.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Functions.sln) above " + AppContext.BaseDirectory);
    }
}
