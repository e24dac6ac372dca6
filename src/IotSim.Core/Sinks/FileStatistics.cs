namespace IotSim.Core.Sinks;

/// <summary>Statistics of sinks that write files: the folder, how many files are complete and their bytes on disk.</summary>
public static class FileStatistics
{
    /// <summary>
    /// <c>path</c>, <c>files</c> and <c>bytes</c> (sum of the completed files' sizes as they are on disk now; a file
    /// deleted since is not counted).
    /// </summary>
    public static IReadOnlyDictionary<string, object> Of(string folder, IReadOnlyList<string> completedFiles)
    {
        ArgumentNullException.ThrowIfNull(completedFiles);
        long bytes = 0;
        int present = 0;
        foreach (string file in completedFiles)
        {
            var info = new FileInfo(file);
            if (!info.Exists) continue;
            bytes += info.Length;
            present++;
        }
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["path"] = folder,
            ["files"] = present,
            ["bytes"] = bytes,
        };
    }
}
