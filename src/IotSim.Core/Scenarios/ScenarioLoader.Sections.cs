using IotSim.Core.Catalog;
using IotSim.Core.Util;
using YamlDotNet.RepresentationModel;

namespace IotSim.Core.Scenarios;

public static partial class ScenarioLoader
{
    private sealed partial class Parser
    {
        private YamlNode? _industriesNode;

        public Scenario Parse(YamlNode? root)
        {
            var scenario = new Scenario();
            if (root is null) return scenario;
            foreach (Entry e in Entries(root, "", RootKeys))
            {
                scenario = e.Key switch
                {
                    "seed" => scenario with { Seed = UInt64(e.Value, e.Path, OptionSpecs.Seed) },
                    "fleet" => Fleet(e, scenario),
                    "custom_sensors" => scenario with { CustomSensors = CustomSensors(e) },
                    "time" => Time(e, scenario),
                    "engine" => Engine(e, scenario),
                    "output" => Output(e, scenario),
                    "anomalies" => scenario with { Anomalies = Anomalies(e) },
                    "dirty" => scenario with { Dirty = Dirty(e) },
                    "sinks" => scenario with { Sinks = Sinks(e) },
                    "monitoring" => scenario with { Monitoring = Monitoring(e) },
                    _ => throw new InvalidOperationException("unhandled key " + e.Key),
                };
            }
            if (_industriesNode is not null && scenario.Industries.Count == 0 && scenario.CustomSensors.Count == 0)
            {
                throw Fail(_industriesNode, "fleet.industries",
                    $"at least one industry is needed when custom_sensors defines no sensors; allowed: {List(IndustryChoices)}");
            }
            return scenario with { Origins = _origins };
        }

        private Scenario Fleet(Entry section, Scenario scenario)
        {
            foreach (Entry e in Entries(section.Value, section.Path, FleetKeys))
            {
                scenario = e.Key switch
                {
                    "industries" => scenario with { Industries = Industries(e) },
                    "devices" => scenario with { Devices = Int32(e.Value, e.Path, OptionSpecs.Devices) },
                    "interval" => scenario with { Interval = Duration(e.Value, e.Path, OptionSpecs.Interval) },
                    "device" => scenario with { Device = Device(e) },
                    _ => throw new InvalidOperationException("unhandled key " + e.Key),
                };
            }
            return scenario;
        }

        private List<string> Industries(Entry e)
        {
            _industriesNode = e.Value;
            IReadOnlyList<string> choices = IndustryChoices;
            var result = new List<string>();
            foreach (Item item in StringOrList(e.Value, e.Path, "an industry name or a list of them"))
            {
                if (OptionSpecs.Industries.ParseChoice(item.Text, out string name) is { } problem)
                {
                    throw Fail(item.Node, item.Path, problem);
                }
                foreach (string industry in name == "all" ? SensorCatalog.Industries : [name])
                {
                    if (!result.Contains(industry)) result.Add(industry);
                }
            }
            return result;
        }

        private DeviceOptions Device(Entry section)
        {
            var device = new DeviceOptions();
            Entry? model = null, modelShares = null;
            foreach (Entry e in Entries(section.Value, section.Path, DeviceKeys))
            {
                switch (e.Key)
                {
                    case "id_prefix":
                        device = device with { IdPrefix = Name(e.Value, e.Path, OptionSpecs.IdPrefix) };
                        break;
                    case "manufacturer" when e.Value is YamlMappingNode:
                        device = device with { ManufacturerShares = Shares(e, OptionSpecs.Manufacturer) };
                        break;
                    case "manufacturer":
                        device = device with { Manufacturer = Choice(e.Value, e.Path, OptionSpecs.Manufacturer) };
                        break;
                    case "model" when e.Value is YamlMappingNode:
                        modelShares = e;
                        device = device with { ModelShares = Shares(e, OptionSpecs.Model) };
                        break;
                    case "model":
                        model = e;
                        device = device with { Model = Text(e.Value, e.Path).Trim() };
                        break;
                    case "firmware" when e.Value is YamlMappingNode:
                        device = device with { FirmwareShares = Shares(e, OptionSpecs.Firmware) };
                        break;
                    case "firmware":
                        device = device with { Firmware = Choice(e.Value, e.Path, OptionSpecs.Firmware) };
                        break;
                    case "id_style":
                        device = device with { CityIds = Choice(e.Value, e.Path, OptionSpecs.IdStyle) == "city" };
                        break;
                    case "number_of_cities":
                        device = device with { NumberOfCities = (int)Integer(e.Value, e.Path, OptionSpecs.NumberOfCities) };
                        break;
                    case "identity_file":
                        string identityPath = ResolvePath(Text(e.Value, e.Path).Trim());
                        device = device with { IdentityFile = identityPath, Identities = Scenarios.IdentityFile.Read(identityPath) };
                        break;
                    default:
                        throw new InvalidOperationException("unhandled key " + e.Key);
                }
            }
            // Checked after the loop because manufacturer may follow model in the file.
            if (modelShares is { } ms && (device.Manufacturer is not null || device.ManufacturerShares is not null))
            {
                throw Fail(ms.Value, ms.Path, "model shares choose the manufacturer too (each model has one): set the manufacturer or the model shares, not both");
            }
            if (model is { } m)
            {
                if (device.Manufacturer is not { } maker)
                {
                    device = device with { Model = Choice(m.Value, m.Path, OptionSpecs.Model) };
                }
                else if (!DeviceModels.Models[maker].Contains(device.Model))
                {
                    string[] models = DeviceModels.Models[maker];
                    throw Fail(m.Value, m.Path, $"model '{device.Model}' is not made by {maker}{DidYouMean.Suggest(device.Model!, models)}; allowed: {List(models)}");
                }
            }
            return device;
        }

        private Scenario Time(Entry section, Scenario scenario)
        {
            Entry? duration = null, end = null, start = null;
            foreach (Entry e in Entries(section.Value, section.Path, TimeKeys))
            {
                switch (e.Key)
                {
                    case "mode":
                        TimeMode mode = Choice(e.Value, e.Path, OptionSpecs.Mode) switch
                        {
                            "realtime" => TimeMode.Realtime,
                            "rate" => TimeMode.Rate,
                            _ => TimeMode.Backfill,
                        };
                        scenario = scenario with { Mode = mode };
                        break;
                    case "rate":
                        scenario = scenario with { Rate = Rate(e) };
                        break;
                    case "speed":
                        scenario = scenario with { Speed = Number(e.Value, e.Path, OptionSpecs.Speed) };
                        break;
                    case "start":
                        start = e;
                        scenario = scenario with { Start = Timestamp(e.Value, e.Path, OptionSpecs.Start) };
                        break;
                    case "duration":
                        duration = e;
                        scenario = scenario with { Duration = Duration(e.Value, e.Path, OptionSpecs.Duration) };
                        break;
                    case "end":
                        end = e;
                        scenario = scenario with { End = Timestamp(e.Value, e.Path, OptionSpecs.End) };
                        break;
                    default:
                        throw new InvalidOperationException("unhandled key " + e.Key);
                }
            }
            if (end is { } endEntry)
            {
                if (duration is { } d)
                {
                    throw Fail(endEntry.Value, endEntry.Path, $"set either time.duration (line {ToLine(d.Value.Start.Line)}) or time.end, not both");
                }
                if (start is { } startEntry && scenario.End <= scenario.Start)
                {
                    throw Fail(endEntry.Value, endEntry.Path,
                        $"end {Text(endEntry.Value, endEntry.Path)} must be after start {Text(startEntry.Value, startEntry.Path)}");
                }
            }
            return scenario;
        }

        /// <summary>A number (constant rate) or a mapping with a profile.</summary>
        private RateProfile Rate(Entry section)
        {
            if (section.Value is YamlScalarNode)
            {
                return RateProfile.Constant(Number(section.Value, section.Path, OptionSpecs.Rate));
            }
            var values = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (Entry e in Entries(section.Value, section.Path, RateKeys))
            {
                values.Add(e.Key, e);
            }
            string profile = values.TryGetValue("profile", out Entry p) ? Choice(p.Value, p.Path, OptionSpecs.RateProfileKind) : "constant";
            string[] needed = profile switch
            {
                "ramp" => ["from", "to", "over"],
                "steps" => ["steps"],
                "burst" => ["base", "peak", "every", "length"],
                _ => ["rate"],
            };
            foreach (Entry e in values.Values)
            {
                if (e.Key != "profile" && !needed.Contains(e.Key))
                {
                    throw Fail(e.KeyNode, e.Path, $"'{e.Key}' does not apply to a {profile} profile; keys for {profile}: profile, {List(needed)}");
                }
            }
            foreach (string key in needed)
            {
                if (!values.ContainsKey(key)) throw Fail(section.Value, Join(section.Path, key), $"required key is missing; a {profile} profile needs {List(needed)}");
            }
            double Rate(string key) => key == "rate" ? Number(values[key].Value, values[key].Path, OptionSpecs.Rate) : Number(values[key].Value, values[key].Path, OptionSpecs.RateValue);
            TimeSpan Span(string key) => Duration(values[key].Value, values[key].Path, OptionSpecs.RateSpan);
            return profile switch
            {
                "ramp" => new RateProfile { Profile = profile, From = Rate("from"), To = Rate("to"), Over = Span("over") },
                "burst" => new RateProfile { Profile = profile, From = Rate("base"), Peak = Rate("peak"), Every = Span("every"), Length = Span("length") },
                "steps" => new RateProfile { Profile = profile, Steps = Steps(values["steps"]) },
                _ => RateProfile.Constant(Rate("rate")),
            };
        }

        private List<(double Rate, TimeSpan Hold)> Steps(Entry section)
        {
            var steps = new List<(double, TimeSpan)>();
            foreach ((YamlNode node, string path) in Sequence(section.Value, section.Path, "a list of steps ({rate, hold})"))
            {
                double rate = -1;
                TimeSpan hold = TimeSpan.Zero;
                foreach (Entry e in Entries(node, path, StepKeys))
                {
                    if (e.Key == "rate") rate = Number(e.Value, e.Path, OptionSpecs.RateValue);
                    else hold = Duration(e.Value, e.Path, OptionSpecs.RateSpan);
                }
                if (rate < 0 || hold == TimeSpan.Zero) throw Fail(node, path, "a step needs both rate and hold");
                steps.Add((rate, hold));
            }
            if (steps.Count == 0) throw Fail(section.Value, section.Path, "at least one step is required");
            return steps;
        }

        private Scenario Engine(Entry section, Scenario scenario)
        {
            foreach (Entry e in Entries(section.Value, section.Path, EngineKeys))
            {
                scenario = e.Key switch
                {
                    "threads" => scenario with { Threads = Int32(e.Value, e.Path, OptionSpecs.Threads) },
                    "batch_size" => scenario with { BatchSize = Int32(e.Value, e.Path, OptionSpecs.BatchSize) },
                    "simd" => scenario with { Simd = (SimdWidth)OptionSpecs.Simd.IndexOf(Choice(e.Value, e.Path, OptionSpecs.Simd)) },
                    "shard" => scenario with { Shard = ShardValue(e.Value, e.Path, OptionSpecs.Shard) },
                    _ => throw new InvalidOperationException("unhandled key " + e.Key),
                };
            }
            return scenario;
        }

        private Scenario Output(Entry section, Scenario scenario)
        {
            foreach (Entry e in Entries(section.Value, section.Path, OutputKeys))
            {
                scenario = e.Key switch
                {
                    "shape" => scenario with { Shape = Choice(e.Value, e.Path, OptionSpecs.Shape) == "wide" ? OutputShape.Wide : OutputShape.Narrow },
                    "device_fields" => scenario with { DeviceFields = DeviceFieldList(e) },
                    _ => throw new InvalidOperationException("unhandled key " + e.Key),
                };
            }
            return scenario;
        }

        /// <summary>A mapping of choices to relative shares (0 to 1000, at least one above 0).</summary>
        private Dictionary<string, double> Shares(Entry section, OptionSpec choice)
        {
            var shares = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (Entry e in Entries(section.Value, section.Path, choice.Choices, choice.Noun))
            {
                shares[e.Key] = Number(e.Value, e.Path, OptionSpecs.DeviceShare);
            }
            if (!shares.Values.Any(v => v > 0))
            {
                throw Fail(section.Value, section.Path, $"shares need at least one {choice.Noun} with a share above 0; allowed: {List(choice.Choices)}");
            }
            return shares;
        }

        private string[] DeviceFieldList(Entry e)
        {
            var fields = new List<string>();
            foreach (Item item in StringOrList(e.Value, e.Path, "a device field or a list of them"))
            {
                if (OptionSpecs.DeviceFieldsSpec.ParseChoice(item.Text, out string name) is { } problem)
                {
                    throw Fail(item.Node, item.Path, problem);
                }
                fields.Add(name);
            }
            return DeviceFields.Normalize(fields);
        }

        private MonitoringOptions Monitoring(Entry section)
        {
            var options = new MonitoringOptions();
            foreach (Entry e in Entries(section.Value, section.Path, MonitoringKeys))
            {
                options = e.Key switch
                {
                    "listen" => options with { Listen = Listen(e) },
                    "token" => options with { Token = NonEmpty(e.Value, e.Path) },
                    "lag_threshold" => options with { LagThreshold = Duration(e.Value, e.Path, OptionSpecs.MonitorLagThreshold) },
                    "samples" => options with { Samples = Int32(e.Value, e.Path, OptionSpecs.MonitorSamples) },
                    _ => throw new InvalidOperationException("unhandled key " + e.Key),
                };
            }
            return options;
        }

        private string Listen(Entry e)
        {
            string text = NonEmpty(e.Value, e.Path);
            return MonitoringOptions.ParseListen(text, out _, out _) is { } problem ? throw Fail(e.Value, e.Path, problem) : text;
        }

        private DirtyOptions Dirty(Entry section)
        {
            var options = new DirtyOptions();
            foreach (Entry e in Entries(section.Value, section.Path, DirtyKeys))
            {
                options = e.Key switch
                {
                    "late" => options with { Late = Number(e.Value, e.Path, OptionSpecs.DirtyLate) },
                    "max_delay" => options with { MaxDelay = Duration(e.Value, e.Path, OptionSpecs.DirtyMaxDelay) },
                    "duplicates" => options with { Duplicates = Number(e.Value, e.Path, OptionSpecs.DirtyDuplicates) },
                    "nulls" => options with { Nulls = Number(e.Value, e.Path, OptionSpecs.DirtyNulls) },
                    "clock_skew" => options with { ClockSkew = Number(e.Value, e.Path, OptionSpecs.DirtyClockSkew) },
                    "max_skew" => options with { MaxSkew = Duration(e.Value, e.Path, OptionSpecs.DirtyMaxSkew) },
                    "labels" => options with { Labels = ResolvePath(Text(e.Value, e.Path).Trim()) },
                    _ => throw new InvalidOperationException("unhandled key " + e.Key),
                };
            }
            if (options.Late + options.Duplicates > 1)
            {
                throw Fail(section.Value, "dirty", $"late ({options.Late}) and duplicates ({options.Duplicates}) are shares of the same messages: together at most 1");
            }
            return options;
        }

        private AnomalyOptions Anomalies(Entry section)
        {
            var options = new AnomalyOptions();
            Entry? typesEntry = null;
            foreach (Entry e in Entries(section.Value, section.Path, AnomaliesKeys))
            {
                switch (e.Key)
                {
                    case "enabled":
                        options = options with { Enabled = Bool(e.Value, e.Path, OptionSpecs.AnomaliesEnabled) };
                        break;
                    case "probability_scale":
                        options = options with { ProbabilityScale = Number(e.Value, e.Path, OptionSpecs.ProbabilityScale) };
                        break;
                    case "types":
                        typesEntry = e;
                        options = options with { Types = AnomalyTypes(e) };
                        break;
                    default:
                        throw new InvalidOperationException("unhandled key " + e.Key);
                }
            }
            if (options.Enabled && !options.Types.Values.Any(t => t.Enabled && t.Weight > 0))
            {
                YamlNode at = typesEntry?.Value ?? section.Value;
                throw Fail(at, "anomalies.types", "while anomalies are enabled, at least one kind must be enabled with a weight > 0 (or set anomalies.enabled: false)");
            }
            return options;
        }

        private Dictionary<AnomalyKind, AnomalyTypeOptions> AnomalyTypes(Entry section)
        {
            var types = new Dictionary<AnomalyKind, AnomalyTypeOptions>(AnomalyOptions.Defaults);
            IReadOnlyList<string> kinds = AnomalyKinds.Names;
            foreach (Entry kindEntry in Entries(section.Value, section.Path, kinds, "anomaly kind"))
            {
                _ = AnomalyKinds.TryParse(kindEntry.Key, out AnomalyKind kind);
                AnomalyTypeOptions type = types[kind];
                foreach (Entry e in Entries(kindEntry.Value, kindEntry.Path, AnomalyTypeKeys))
                {
                    type = e.Key switch
                    {
                        "enabled" => type with { Enabled = Bool(e.Value, e.Path, OptionSpecs.AnomalyEnabled) },
                        "weight" => type with { Weight = Number(e.Value, e.Path, OptionSpecs.AnomalyWeight) },
                        "duration" => type with { Duration = Duration(e.Value, e.Path, OptionSpecs.AnomalyDuration) },
                        _ => throw new InvalidOperationException("unhandled key " + e.Key),
                    };
                }
                types[kind] = type;
            }
            return types;
        }
    }
}
