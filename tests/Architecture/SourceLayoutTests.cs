using System.Text.RegularExpressions;

namespace Strata.Architecture.Tests;

/// <summary>
/// Core's files are small and say what they hold: each top-level type lives in a file named after it.
/// The one exception is the message contract's payloads, kept together in <c>Payloads.cs</c> so the
/// contract reads in one place (docs/messages.md follows it).
/// </summary>
public partial class SourceLayoutTests
{
    private static readonly string[] GroupFiles = ["Payloads.cs"];

    [Fact]
    public void Core_EachTypeInAFileNamedAfterIt()
    {
        var core = Path.Combine(RepositoryRoot(), "src", "Core");
        var misplaced = new List<string>();
        foreach (var file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            if (GroupFiles.Contains(Path.GetFileName(file)))
            {
                continue;
            }

            var expected = Path.GetFileNameWithoutExtension(file).Split('.')[0];
            foreach (Match declaration in TopLevelType().Matches(File.ReadAllText(file)))
            {
                if (declaration.Groups["name"].Value != expected)
                {
                    misplaced.Add($"{Path.GetRelativePath(core, file)}: {declaration.Groups["name"].Value}");
                }
            }
        }

        Assert.True(misplaced.Count == 0, "types in a file named after another: " + string.Join(", ", misplaced));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Functions.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^(?:public|internal) (?:(?:sealed|static|abstract|partial|readonly) )*(?:record struct|record class|record|class|interface|enum|struct) (?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();
}
