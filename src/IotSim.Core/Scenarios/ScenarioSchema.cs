namespace IotSim.Core.Scenarios;

/// <summary>The JSON Schema (draft 2020-12) of scenario files, for editors that validate and complete YAML.</summary>
public static class ScenarioSchema
{
    /// <summary>Name of the embedded resource holding the schema.</summary>
    internal const string ResourceName = "IotSim.scenario.schema.json";

    private static readonly Lazy<string> s_text = new(Read);

    /// <summary>The schema as JSON text.</summary>
    public static string Text => s_text.Value;

    private static string Read()
    {
        using Stream stream = typeof(ScenarioSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
