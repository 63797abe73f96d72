namespace Strata.Cli.Commands;

/// <summary>
/// A folder the CLI writes plaintext into (<c>strata decrypt</c>'s Secrets and dumps, the etcd restore guide's snapshot,
/// which hold every Secret of the cluster): created 0700, every file and subfolder created 0600 / 0700 from its first
/// byte whatever the umask, an existing folder that group or others can enter refused (it keeps its mode), and what this
/// run wrote deleted again when the run fails (<see cref="DeleteWritten"/>). Windows keeps its ACLs.
/// </summary>
internal sealed class PrivateOutput
{
    /// <summary>0600: a plaintext file.</summary>
    public const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0700: a folder (or a script) of the owner's alone.</summary>
    public const UnixFileMode OwnerOnly = OwnerReadWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly List<string> createdFiles = [];
    private readonly List<string> createdFolders = [];

    private PrivateOutput(string folder) => Folder = folder;

    /// <summary>The output folder (full path).</summary>
    public string Folder { get; }

    /// <summary>Why <paramref name="folder"/> cannot take plaintext: it exists and group or others can access it; null when it is new or the owner's alone.</summary>
    public static string? Refusal(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return null;
        }

        var mode = File.GetUnixFileMode(folder);
        return (mode & GroupOrOthers) == 0
            ? null
            : $"{folder} exists with mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}, open to group or others: the plaintext written into it would be readable by other users; give a new folder or 'chmod 700' it";
    }

    /// <summary>Creates <paramref name="folder"/> and the missing parents 0700 (the caller checked <see cref="Refusal"/>), remembering what it created.</summary>
    public static PrivateOutput Create(string folder)
    {
        var output = new PrivateOutput(folder);
        output.CreateFolder(folder);
        return output;
    }

    /// <summary>Options that create a file with <paramref name="mode"/> from its first byte (Unix; Windows keeps its ACLs).</summary>
    public static FileStreamOptions FileOptionsFor(FileMode fileMode, UnixFileMode mode = OwnerReadWrite)
    {
        var options = new FileStreamOptions { Mode = fileMode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return options;
    }

    /// <summary>A new file (0600) at <paramref name="relative"/> ('/'-separated) under the folder, its folders 0700; never one that exists.</summary>
    /// <exception cref="Core.Artifacts.ArtifactRejectedException">The path leaves the folder.</exception>
    public Stream CreateFile(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(Folder, relative.Replace('/', Path.DirectorySeparatorChar)));
        if (!path.StartsWith(Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new Core.Artifacts.ArtifactRejectedException(relative, "the path leaves the output folder");
        }

        CreateFolder(Path.GetDirectoryName(path)!);
        var file = new FileStream(path, FileOptionsFor(FileMode.CreateNew));
        createdFiles.Add(path);
        return file;
    }

    /// <summary>Deletes every file and folder this run created (the run failed: no partial plaintext is left behind); a folder that existed stays.</summary>
    public void DeleteWritten()
    {
        foreach (var file in Enumerable.Reverse(createdFiles))
        {
            File.Delete(file);
        }

        foreach (var folder in Enumerable.Reverse(createdFolders))
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }

        createdFiles.Clear();
        createdFolders.Clear();
    }

    private void CreateFolder(string folder)
    {
        var missing = new Stack<string>();
        for (var at = folder; !string.IsNullOrEmpty(at) && !Directory.Exists(at); at = Path.GetDirectoryName(at))
        {
            missing.Push(at);
        }

        foreach (var path in missing)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, OwnerOnly);
            }

            createdFolders.Add(path);
        }
    }
}
