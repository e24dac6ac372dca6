namespace IotSim.Core.Tests.Scenarios;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory.</summary>
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("iotsim-scenario-").FullName;
    }

    /// <summary>Full path of the directory.</summary>
    public string Path { get; }

    /// <summary>Writes a file inside the directory and returns its full path.</summary>
    public string Write(string name, string text)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
