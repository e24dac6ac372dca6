using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>
/// The sink reference as Markdown, generated from the registered providers and the common option specs, so the
/// README's sink tables, <c>list-sinks</c>, the JSON Schema and the loader's checks share one source of truth
/// (a test compares the README with <see cref="Markdown"/>).
/// </summary>
[Experimental("IOTSIM001")]
public static class SinkDocs
{
    /// <summary>A table of the sink types and one of the keys every sink takes.</summary>
    public static string Markdown(SinkRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var text = new StringBuilder();
        text.Append("| type | its own keys (default) | ordered | parallel writers | what it writes |\n");
        text.Append("| --- | --- | --- | --- | --- |\n");
        foreach (ISinkProvider provider in registry.Providers)
        {
            string keys = provider.Options.Count == 0
                ? "—"
                : string.Join("<br>", provider.Options.Select(KeyCell));
            text.Append(CultureInfo.InvariantCulture,
                $"| `{provider.Type}` | {keys} | {YesNo(provider.Capabilities.Ordered)} | {YesNo(provider.Capabilities.ParallelWriters)} | {Cell(provider.Description)} |\n");
        }
        text.Append('\n');
        text.Append("**Keys every sink takes:**\n\n");
        text.Append("| key | default | allowed | meaning |\n");
        text.Append("| --- | --- | --- | --- |\n");
        foreach (OptionSpec spec in OptionSpecs.SinkCommon)
        {
            string allowed = spec == OptionSpecs.SinkType ? string.Join(", ", registry.Providers.Select(p => p.Type)) : spec.Allowed;
            text.Append(CultureInfo.InvariantCulture,
                $"| `{spec.LeafKey}` | {Cell(spec.Default ?? "—")} | {Cell(allowed)} | {Cell(spec.Description)} |\n");
        }
        return text.ToString();
    }

    private static string KeyCell(OptionSpec spec)
    {
        string detail = spec.Kind == OptionKind.Choice ? string.Join(" | ", spec.Choices) : spec.Allowed;
        string value = spec.Default is { } d ? $" ({Cell(d)})" : "";
        return $"`{spec.LeafKey}`{value}: {Cell(detail)}. {Cell(spec.Description)}";
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
