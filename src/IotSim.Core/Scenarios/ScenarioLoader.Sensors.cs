using IotSim.Core.Catalog;
using YamlDotNet.RepresentationModel;

namespace IotSim.Core.Scenarios;

public static partial class ScenarioLoader
{
    private sealed partial class Parser
    {
        /// <summary>The default label of custom sensors.</summary>
        private const string DefaultCustomIndustry = "custom";

        private List<SensorDefinition> CustomSensors(Entry section)
        {
            List<Entry> entries = Entries(section.Value, section.Path, CustomSensorsKeys);
            // The label applies to every sensor of the section, so it is read first wherever it appears.
            string industry = DefaultCustomIndustry;
            foreach (Entry e in entries)
            {
                if (e.Key == "industry") industry = CustomIndustry(e);
            }

            var result = new List<SensorDefinition>();
            var defined = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Entry e in entries)
            {
                switch (e.Key)
                {
                    case "industry":
                        break;
                    case "csv":
                        foreach (Item file in StringOrList(e.Value, e.Path, "a CSV file name or a list of them"))
                        {
                            string path = Path.GetFullPath(Path.Combine(baseDirectory ?? "", file.Text));
                            if (!File.Exists(path))
                            {
                                throw Fail(file.Node, file.Path, Directory.Exists(path) ? $"expected a sensor CSV file, found a folder: {path}" : $"sensor CSV file not found: {path}");
                            }
                            foreach (SensorDefinition def in SensorCsvReader.ReadFile(path, industry))
                            {
                                if (def.Industry != industry) CheckIndustryLabel(def.Industry, file.Node, file.Path);
                                Add(def, file.Node, file.Path, file.Text);
                            }
                        }
                        break;
                    case "sensors":
                        foreach ((YamlNode node, string path) in Sequence(e.Value, e.Path, "a list of sensor definitions"))
                        {
                            SensorDefinition def = Sensor(node, path, industry, out YamlNode nameNode);
                            Add(def, nameNode, path + ".name", $"{path} (line {ToLine(node.Start.Line)})");
                        }
                        break;
                    default:
                        throw new InvalidOperationException("unhandled key " + e.Key);
                }
            }
            return result;

            void Add(SensorDefinition def, YamlNode node, string path, string where)
            {
                if (!defined.TryAdd(def.Name, where))
                {
                    throw Fail(node, path, $"custom sensor '{def.Name}' is defined twice: in {defined[def.Name]} and in {where}");
                }
                result.Add(def);
            }
        }

        private string CustomIndustry(Entry e)
        {
            string label = Name(e.Value, e.Path, OptionSpecs.CustomIndustry);
            CheckIndustryLabel(label, e.Value, e.Path);
            return label;
        }

        // Custom sensors get their own label so they never mix into a built-in industry's sensor list.
        private void CheckIndustryLabel(string label, YamlNode node, string path)
        {
            if (label == "all" || label == SensorCatalog.EnvironmentalProfile || SensorCatalog.IsIndustry(label))
            {
                throw Fail(node, path, $"'{label}' is a built-in name; custom sensors need their own industry label (e.g. {DefaultCustomIndustry})");
            }
        }

        private SensorDefinition Sensor(YamlNode node, string path, string industry, out YamlNode nameNode)
        {
            if (IsNull(node))
            {
                throw Fail(node, path, $"expected a sensor definition (a mapping with keys {List(SensorKeys)}), found nothing");
            }
            var values = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (Entry e in Entries(node, path, SensorKeys))
            {
                values.Add(e.Key, e);
            }
            foreach (string required in RequiredSensorKeys)
            {
                if (!values.ContainsKey(required))
                {
                    throw Fail(node, Join(path, required), $"required key is missing; required: {List(RequiredSensorKeys)}");
                }
            }
            nameNode = values["name"].Value;
            return SensorDefinitionReader.Build(industry, RawText, FailAt);

            string? RawText(OptionSpec spec)
            {
                if (!values.TryGetValue(KeyOf(spec), out Entry e)) return null;
                // Numbers and booleans must be plain scalars, as a schema-validating editor would demand.
                return spec.Kind is OptionKind.Integer or OptionKind.Number or OptionKind.Boolean
                    ? Plain(e.Value, e.Path, spec.Kind == OptionKind.Boolean ? "true or false" : "a number")
                    : Scalar(e.Value, e.Path, "a text value").Value!;
            }

            Exception FailAt(OptionSpec spec, string problem) =>
                values.TryGetValue(KeyOf(spec), out Entry e) ? Fail(e.Value, e.Path, problem) : Fail(node, Join(path, KeyOf(spec)), problem);
        }

        private static string KeyOf(OptionSpec spec) => spec.LeafKey;
    }
}
