using System.Globalization;
using System.Text;
using System.Text.Json;
using IotSim.Core.Catalog;
using IotSim.Core.Util;

namespace IotSim.Core.Scenarios;

/// <summary>
/// Identity files in the reference's two formats: flat (<c>id</c>, <c>location</c>, <c>latitude</c>, ...) and nested
/// (<c>sensor_id</c>, <c>location.coordinates</c>, <c>device_info</c>, <c>deployment</c>, <c>metadata</c>). A file holds
/// one identity object or an array of them (one per device, in device order). Fields left out are generated from the
/// seed. Read with <see cref="JsonDocument"/> (no reflection, NativeAOT-safe).
/// </summary>
public static class IdentityFile
{
    /// <summary>Largest identity file read: 64 MiB.</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>The fields one entry of a file sets (as in <see cref="DeviceIdentity"/>); null fields are generated.</summary>
#pragma warning disable CS1591 // the same fields as DeviceIdentity
    public sealed record Entry
    {
        public string? Id { get; init; }
        public string? Location { get; init; }
        public string? Region { get; init; }
        public string? Country { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string? TimeZone { get; init; }
        public string? Manufacturer { get; init; }
        public string? Model { get; init; }
        public string? Firmware { get; init; }
        public string? SerialNumber { get; init; }
        public DateOnly? ManufactureDate { get; init; }
        public string? DeploymentType { get; init; }
        public DateOnly? InstallationDate { get; init; }
        public double? HeightMeters { get; init; }
        public double? OrientationDegrees { get; init; }
        public string? InstanceId { get; init; }
        public string? SensorType { get; init; }
    }
#pragma warning restore CS1591

    /// <summary>Reads and validates an identity file; errors name the file, the entry and the field (exit 2).</summary>
    public static IReadOnlyList<Entry> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new ConfigException(path, 0, "identity_file", "the identity file does not exist");
        if (info.Length > MaxBytes) throw new ConfigException(path, 0, "identity_file", $"the identity file is larger than {MaxBytes >> 20} MiB");
        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <summary>Parses and validates identity JSON; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<Entry> Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ConfigException(source, (int)(e.LineNumber ?? -1) + 1, "identity_file", "not valid JSON: " + e.Message);
        }
        using (doc)
        {
            JsonElement root = doc.RootElement;
            var entries = new List<Entry>();
            if (root.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement e in root.EnumerateArray()) entries.Add(ReadEntry(e, source, $"[{i++}]"));
                if (entries.Count == 0) throw new ConfigException(source, 0, "identity_file", "the identity array is empty");
            }
            else
            {
                entries.Add(ReadEntry(root, source, ""));
            }
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries[i].Id is { } id && !ids.Add(id))
                {
                    throw new ConfigException(source, 0, $"[{i}].id", $"the id '{Excerpt.Of(id)}' is used by two devices");
                }
            }
            return entries;
        }
    }

    private static Entry ReadEntry(JsonElement e, string source, string at)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new ConfigException(source, 0, at.Length == 0 ? "identity" : at, "an identity must be a JSON object");
        bool nested = e.TryGetProperty("sensor_id", out _) || e.TryGetProperty("device_info", out _) || e.TryGetProperty("deployment", out _)
            || (e.TryGetProperty("location", out JsonElement l) && l.ValueKind == JsonValueKind.Object);
        var r = new Reader(source, at);
        Entry entry;
        if (nested)
        {
            r.Allow(e, "sensor_id", "location", "device_info", "deployment", "metadata");
            JsonElement loc = r.Object(e, "location");
            JsonElement info = r.Object(e, "device_info");
            JsonElement deployment = r.Object(e, "deployment");
            JsonElement metadata = r.Object(e, "metadata");
            r.Allow(loc, "city", "state", "country", "coordinates", "timezone", "address");
            r.Allow(info, "manufacturer", "model", "firmware_version", "serial_number", "manufacture_date");
            r.Allow(deployment, "deployment_type", "installation_date", "height_meters", "orientation_degrees");
            r.Allow(metadata, "instance_id", "sensor_type");
            JsonElement coords = r.Object(loc, "coordinates", "location.");
            r.Allow(coords, "latitude", "longitude");
            entry = new Entry
            {
                Id = r.Text(e, "sensor_id"),
                Location = r.Text(loc, "city", "location."),
                Region = r.Text(loc, "state", "location."),
                Country = r.Text(loc, "country", "location."),
                Latitude = r.Number(coords, "latitude", "location.coordinates."),
                Longitude = r.Number(coords, "longitude", "location.coordinates."),
                TimeZone = r.Text(loc, "timezone", "location."),
                Manufacturer = r.Text(info, "manufacturer", "device_info."),
                Model = r.Text(info, "model", "device_info."),
                Firmware = r.Text(info, "firmware_version", "device_info."),
                SerialNumber = r.Text(info, "serial_number", "device_info."),
                ManufactureDate = r.Date(info, "manufacture_date", "device_info."),
                DeploymentType = r.Text(deployment, "deployment_type", "deployment."),
                InstallationDate = r.Date(deployment, "installation_date", "deployment."),
                HeightMeters = r.Number(deployment, "height_meters", "deployment."),
                OrientationDegrees = r.Number(deployment, "orientation_degrees", "deployment."),
                InstanceId = r.Text(metadata, "instance_id", "metadata."),
                SensorType = r.Text(metadata, "sensor_type", "metadata."),
            };
        }
        else
        {
            r.Allow(e, "id", "location", "latitude", "longitude", "timezone", "manufacturer", "model", "firmware_version", "serial_number",
                "manufacture_date", "deployment_type", "installation_date", "height_meters", "orientation_degrees", "instance_id", "sensor_type", "state", "country");
            entry = new Entry
            {
                Id = r.Text(e, "id"),
                Location = r.Text(e, "location"),
                Region = r.Text(e, "state"),
                Country = r.Text(e, "country"),
                Latitude = r.Number(e, "latitude"),
                Longitude = r.Number(e, "longitude"),
                TimeZone = r.Text(e, "timezone"),
                Manufacturer = r.Text(e, "manufacturer"),
                Model = r.Text(e, "model"),
                Firmware = r.Text(e, "firmware_version"),
                SerialNumber = r.Text(e, "serial_number"),
                ManufactureDate = r.Date(e, "manufacture_date"),
                DeploymentType = r.Text(e, "deployment_type"),
                InstallationDate = r.Date(e, "installation_date"),
                HeightMeters = r.Number(e, "height_meters"),
                OrientationDegrees = r.Number(e, "orientation_degrees"),
                InstanceId = r.Text(e, "instance_id"),
                SensorType = r.Text(e, "sensor_type"),
            };
        }
        Validate(entry, r, nested);
        return entry;
    }

    /// <summary>Checks one entry built in code (e.g. from <c>SENSOR_LOCATION</c>) by the file rules; <paramref name="source"/> names it in errors.</summary>
    public static void Check(Entry entry, string source)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Validate(entry, new Reader(source, ""), nested: false);
    }

    private static void Validate(Entry e, Reader r, bool nested)
    {
        string idKey = nested ? "sensor_id" : "id";
        if (e.Id is { } id && OptionSpecs.IdPrefix.ParseName(id, out _) is { } idProblem) throw r.Fail(idKey, idProblem);
        string locationKey = nested ? "location.city" : "location";
        if (e.Location is null) throw r.Fail(locationKey, "the location is required");
        if (string.IsNullOrWhiteSpace(e.Location) || DeviceIdentity.PlaceholderLocations.Contains(e.Location.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            throw r.Fail(locationKey, $"'{Excerpt.Of(e.Location)}' is a placeholder, not a location; give a real place (a city of the built-in list, e.g. {string.Join(", ", Cities.All.Take(3).Select(c => c.Name))}, or any place with latitude and longitude)");
        }
        City? city = Cities.Find(e.Location.Trim());
        if (city is null && (e.Latitude is null || e.Longitude is null))
        {
            throw r.Fail(nested ? "location.coordinates" : "latitude", $"'{Excerpt.Of(e.Location)}' is not in the built-in city list, so give its latitude and longitude");
        }
        if (e.Latitude is { } lat && !(lat >= -90 && lat <= 90)) throw r.Fail(nested ? "location.coordinates.latitude" : "latitude", "allowed: -90 to 90");
        if (e.Longitude is { } lon && !(lon >= -180 && lon <= 180)) throw r.Fail(nested ? "location.coordinates.longitude" : "longitude", "allowed: -180 to 180");
        if (e.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            throw r.Fail(nested ? "location.timezone" : "timezone", $"'{Excerpt.Of(zone)}' is not an IANA time zone (e.g. America/Denver)");
        }
        string prefix = nested ? "device_info." : "";
        if (e.Manufacturer is { } m && OptionSpecs.Manufacturer.ParseChoice(m, out _) is { } mp) throw r.Fail(prefix + "manufacturer", mp);
        if (e.Model is { } model)
        {
            string[] allowed = e.Manufacturer is { } maker && DeviceModels.Models.TryGetValue(maker, out string[]? models) ? models : [.. OptionSpecs.Model.Choices];
            if (!allowed.Contains(model, StringComparer.Ordinal))
            {
                throw r.Fail(prefix + "model", $"unknown model '{Excerpt.Of(model)}'{DidYouMean.Suggest(model, allowed)}{(e.Manufacturer is { } mk ? " of " + mk : "")}; allowed: {string.Join(", ", allowed)}");
            }
        }
        if (e.Firmware is { } f && OptionSpecs.Firmware.ParseChoice(f, out _) is { } fp) throw r.Fail(prefix + "firmware_version", fp);
        if (e.DeploymentType is { } d && !DeviceIdentity.DeploymentTypes.Contains(d, StringComparer.Ordinal))
        {
            throw r.Fail(nested ? "deployment.deployment_type" : "deployment_type", $"unknown deployment type '{Excerpt.Of(d)}'; allowed: {string.Join(", ", DeviceIdentity.DeploymentTypes)}");
        }
        if (e.HeightMeters is { } h && !(h >= 0 && h <= 10_000)) throw r.Fail(nested ? "deployment.height_meters" : "height_meters", "allowed: 0 to 10000");
        if (e.OrientationDegrees is { } o && !(o >= 0 && o < 360)) throw r.Fail(nested ? "deployment.orientation_degrees" : "orientation_degrees", "allowed: 0 to less than 360");
    }

    /// <summary>Writes identities in the nested (or flat) format, as <c>iotsim generate-identity</c> does.</summary>
    public static string Write(IReadOnlyList<DeviceIdentity> identities, bool nested)
    {
        ArgumentNullException.ThrowIfNull(identities);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            bool array = identities.Count != 1;
            if (array) w.WriteStartArray();
            foreach (DeviceIdentity d in identities)
            {
                w.WriteStartObject();
                if (nested)
                {
                    w.WriteString("sensor_id", d.Id);
                    w.WriteStartObject("location");
                    w.WriteString("city", d.Location);
                    w.WriteString("state", d.Region);
                    w.WriteString("country", d.Country);
                    w.WriteStartObject("coordinates");
                    w.WriteNumber("latitude", d.Latitude);
                    w.WriteNumber("longitude", d.Longitude);
                    w.WriteEndObject();
                    w.WriteString("timezone", d.TimeZone);
                    w.WriteString("address", d.Address);
                    w.WriteEndObject();
                    w.WriteStartObject("device_info");
                    w.WriteString("manufacturer", d.Manufacturer);
                    w.WriteString("model", d.Model);
                    w.WriteString("firmware_version", d.Firmware);
                    w.WriteString("serial_number", d.SerialNumber);
                    w.WriteString("manufacture_date", d.ManufactureDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                    w.WriteStartObject("deployment");
                    w.WriteString("deployment_type", d.DeploymentType);
                    w.WriteString("installation_date", d.InstallationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    w.WriteNumber("height_meters", d.HeightMeters);
                    w.WriteNumber("orientation_degrees", d.OrientationDegrees);
                    w.WriteEndObject();
                    w.WriteStartObject("metadata");
                    w.WriteString("instance_id", d.InstanceId);
                    w.WriteString("sensor_type", d.SensorType);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("id", d.Id);
                    w.WriteString("location", d.Location);
                    w.WriteString("state", d.Region);
                    w.WriteString("country", d.Country);
                    w.WriteNumber("latitude", d.Latitude);
                    w.WriteNumber("longitude", d.Longitude);
                    w.WriteString("timezone", d.TimeZone);
                    w.WriteString("manufacturer", d.Manufacturer);
                    w.WriteString("model", d.Model);
                    w.WriteString("firmware_version", d.Firmware);
                    w.WriteString("serial_number", d.SerialNumber);
                    w.WriteString("manufacture_date", d.ManufactureDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    w.WriteString("deployment_type", d.DeploymentType);
                    w.WriteString("installation_date", d.InstallationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    w.WriteNumber("height_meters", d.HeightMeters);
                    w.WriteNumber("orientation_degrees", d.OrientationDegrees);
                    w.WriteString("instance_id", d.InstanceId);
                    w.WriteString("sensor_type", d.SensorType);
                }
                w.WriteEndObject();
            }
            if (array) w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Typed access to one entry's fields, with errors naming the file, the entry and the dotted field.</summary>
    private readonly struct Reader(string source, string at)
    {
        public ConfigException Fail(string key, string problem) => new(source, 0, at + (at.Length > 0 ? "." : "") + key, problem);

        public void Allow(JsonElement e, params string[] keys)
        {
            if (e.ValueKind != JsonValueKind.Object) return;
            foreach (JsonProperty p in e.EnumerateObject())
            {
                if (Array.IndexOf(keys, p.Name) < 0)
                {
                    throw Fail(p.Name, $"unknown field '{Excerpt.Of(p.Name)}'{DidYouMean.Suggest(p.Name, keys)}; allowed: {string.Join(", ", keys)}");
                }
            }
        }

        public JsonElement Object(JsonElement e, string key, string path = "")
        {
            if (!e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return default;
            return v.ValueKind == JsonValueKind.Object ? v : throw Fail(path + key, "must be an object");
        }

        public string? Text(JsonElement e, string key, string path = "")
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String) throw Fail(path + key, "must be a string");
            string text = v.GetString()!;
            return text.Length > 256 ? throw Fail(path + key, "longer than 256 characters") : text;
        }

        public double? Number(JsonElement e, string key, string path = "")
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) ? d : throw Fail(path + key, "must be a number");
        }

        public DateOnly? Date(JsonElement e, string key, string path = "")
        {
            string? text = Text(e, key, path);
            if (text is null) return null;
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly d)
                ? d
                : throw Fail(path + key, $"'{Excerpt.Of(text)}' is not a date; allowed: YYYY-MM-DD");
        }
    }
}
