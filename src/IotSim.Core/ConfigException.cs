namespace IotSim.Core;

/// <summary>
/// Bad user input (scenario, sensor CSV, option) with the place it came from. The CLI prints
/// <see cref="Exception.Message"/> and exits with code 2.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates an error for <paramref name="file"/> at <paramref name="line"/> (1-based, 0 when unknown) about <paramref name="key"/>.</summary>
    public ConfigException(string? file, int line, string? key, string problem)
        : base(Format(file, line, key, problem))
    {
        File = file;
        Line = line;
        Key = key;
        Problem = problem;
    }

    /// <summary>The file, or null for command-line options and API input.</summary>
    public string? File { get; }

    /// <summary>1-based line, 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>The key or column at fault.</summary>
    public string? Key { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Format(string? file, int line, string? key, string problem)
    {
        string where = file is null ? "" : line > 0 ? $"{file}:{line}: " : $"{file}: ";
        string what = string.IsNullOrEmpty(key) ? "" : $"'{key}': ";
        return where + what + problem;
    }
}
