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
                                throw Fail(file.Node, file.Path, $"sensor CSV file not found: {path}");
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
            string label = NonEmpty(e.Value, e.Path);
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

            string typeName = Choice(values["sensor_type"].Value, values["sensor_type"].Path, "sensor type", SensorTypes.Names);
            _ = SensorTypes.TryParse(typeName, out SensorType type);
            bool status = type == SensorType.Status;
            double min = Required("min_value");
            double max = Required("max_value");
            double range = max - min;
            // Defaults match SensorCsvReader so a sensor means the same in YAML and CSV.
            var def = new SensorDefinition
            {
                Industry = industry,
                Name = NonEmpty(nameNode, values["name"].Path),
                Type = type,
                Unit = Text(values["unit"].Value, values["unit"].Path),
                Min = min,
                Max = max,
                Nominal = Required("nominal_value"),
                NoiseStd = Optional("noise_std", 0) ?? (status ? 0 : 0.005 * range),
                DriftRate = Optional("drift_rate", 0) ?? (status ? 0 : 0.0001 * range),
                AnomalyProbability = Optional("anomaly_probability", 0, 1) ?? 0.001,
                AnomalyMagnitude = Optional("anomaly_magnitude", 0) ?? 2.0,
                Cyclic = values.TryGetValue("cyclic", out Entry cyclic) && Bool(cyclic.Value, cyclic.Path),
                CyclePeriodSeconds = Optional("cycle_period_seconds", 0) ?? 60,
                CycleAmplitude = Optional("cycle_amplitude", 0) ?? 0.05 * range,
                Precision = values.TryGetValue("precision", out Entry precision) ? Int32(precision.Value, precision.Path, 0, 6) : status ? 0 : 2,
                Interval = values.TryGetValue("interval", out Entry interval) ? Interval(interval.Value, interval.Path) : TimeSpan.FromSeconds(1),
            };
            if (def.Validate() is { } problem)
            {
                // Validate names the offending key first ("nominal_value (40) must ..."); point at that key when present.
                int end = problem.IndexOfAny([' ', ',']);
                string key = end > 0 ? problem[..end] : "";
                Entry at = values.TryGetValue(key, out Entry e) ? e : values["name"];
                throw Fail(at.Value, values.ContainsKey(key) ? at.Path : path, problem);
            }
            return def;

            double Required(string key) => Number(values[key].Value, values[key].Path);

            double? Optional(string key, double low, double high = double.MaxValue) =>
                values.TryGetValue(key, out Entry e) ? Number(e.Value, e.Path, low, high) : null;
        }
    }
}
