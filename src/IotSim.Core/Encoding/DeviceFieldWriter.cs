using System.Text;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// Writes a device's identity fields (<see cref="DeviceFields"/>) into an encoder's row, as CSV cells or JSON
/// members, without allocating after warm-up: texts come from the catalog, the city list or the identity file and
/// their UTF-8 is cached by reference; numbers and dates are formatted in place. Not thread-safe.
/// </summary>
internal sealed class DeviceFieldWriter
{
    private readonly Fleet _fleet;
    private readonly bool _csv;
    private readonly bool _trailingComma;
    private readonly int[] _fields;
    private readonly byte[][] _keys;
    private readonly Dictionary<string, byte[]> _texts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, byte[]> _raw = new(ReferenceEqualityComparer.Instance);
    private byte[] _scratch = new byte[512];

    /// <param name="fleet">The fleet.</param>
    /// <param name="fields">Field names from <see cref="DeviceFields.Names"/>.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="trailingComma">JSON members each followed by a comma (narrow rows) instead of preceded by one (wide rows).</param>
    public DeviceFieldWriter(Fleet fleet, IReadOnlyList<string> fields, EncodingFormat format, bool trailingComma)
    {
        _fleet = fleet;
        _csv = format == EncodingFormat.Csv;
        _trailingComma = trailingComma;
        _fields = [.. fields.Select(f => Array.IndexOf(DeviceFields.Names, f))];
        _keys = [.. fields.Select(f => Encoding.UTF8.GetBytes("\"" + f + "\":"))];
    }

    /// <summary>Whether there are fields to write.</summary>
    public bool Any => _fields.Length > 0;

    /// <summary>The fields of <paramref name="device"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(int device)
    {
        Fleet.IdentityParts p = _fleet.Parts(device);
        int pos = 0;
        for (int i = 0; i < _fields.Length; i++)
        {
            Ensure(pos + 256);
            if (_csv || !_trailingComma)
            {
                _scratch[pos++] = (byte)',';
            }
            if (!_csv)
            {
                _keys[i].CopyTo(_scratch, pos);
                pos += _keys[i].Length;
            }
            pos = Field(_fields[i], in p, device, pos);
            if (!_csv && _trailingComma)
            {
                _scratch[pos++] = (byte)',';
            }
        }
        return _scratch.AsSpan(0, pos);
    }

    private int Field(int field, in Fleet.IdentityParts p, int device, int pos) => DeviceFields.Names[field] switch
    {
        "manufacturer" => Text(p.Manufacturer, pos),
        "model" => Text(p.Model, pos),
        "firmware" => Text(p.Firmware, pos),
        "serial_number" => p.Entry?.SerialNumber is { } serial ? Text(serial, pos) : Serial(p, pos),
        "manufacture_date" => Date(p.ManufactureDate, pos),
        "location" => Text(p.Place.Name, pos),
        "region" => Text(p.Place.Region, pos),
        "country" => Text(p.Place.Country, pos),
        "latitude" => Number(p.Latitude, 5, pos),
        "longitude" => Number(p.Longitude, 5, pos),
        "timezone" => Text(p.Place.TimeZone, pos),
        "deployment_type" => Text(p.DeploymentType, pos),
        "installation_date" => Date(p.InstallationDate, pos),
        "height_meters" => Number(p.HeightMeters, 1, pos),
        "orientation_degrees" => Number(p.OrientationDegrees, 0, pos),
        "instance_id" => p.Entry?.InstanceId is { } instance ? Text(instance, pos) : Instance(p, pos),
        _ => Text(p.SensorType, pos),
    };

    private int Text(string text, int pos)
    {
        if (!_texts.TryGetValue(text, out byte[]? bytes))
        {
            bytes = Encoding.UTF8.GetBytes(_csv ? TextEscaping.Csv(text) : "\"" + TextEscaping.Json(text) + "\"");
            _texts.Add(text, bytes);
        }
        Ensure(pos + bytes.Length + 64);
        bytes.CopyTo(_scratch, pos);
        return pos + bytes.Length;
    }

    private int Serial(in Fleet.IdentityParts p, int pos)
    {
        if (!_csv) _scratch[pos++] = (byte)'"';
        pos = Raw(p.Manufacturer, pos);
        _scratch[pos++] = (byte)'-';
        pos += ByteWriter.FormatPadded(p.SerialNumber, 6, _scratch.AsSpan(pos));
        if (!_csv) _scratch[pos++] = (byte)'"';
        return pos;
    }

    private int Instance(in Fleet.IdentityParts p, int pos)
    {
        if (!_csv) _scratch[pos++] = (byte)'"';
        _scratch[pos++] = (byte)'i';
        _scratch[pos++] = (byte)'-';
        pos = Hex(p.InstanceA, 7, pos);
        pos = Hex(p.InstanceB, 8, pos);
        pos = Hex(p.InstanceC, 2, pos);
        if (!_csv) _scratch[pos++] = (byte)'"';
        return pos;
    }

    private int Hex(uint value, int digits, int pos)
    {
        for (int d = digits - 1; d >= 0; d--)
        {
            uint nibble = (value >> (4 * d)) & 0xF;
            _scratch[pos++] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }
        return pos;
    }

    /// <summary>Manufacturer names are catalog names (letters only), written without quotes or escapes.</summary>
    private int Raw(string text, int pos)
    {
        if (!_raw.TryGetValue(text, out byte[]? bytes))
        {
            bytes = Encoding.UTF8.GetBytes(text);
            _raw.Add(text, bytes);
        }
        bytes.CopyTo(_scratch, pos);
        return pos + bytes.Length;
    }

    private int Date(DateOnly date, int pos)
    {
        if (!_csv) _scratch[pos++] = (byte)'"';
        pos += ByteWriter.FormatPadded((uint)date.Year, 4, _scratch.AsSpan(pos));
        _scratch[pos++] = (byte)'-';
        pos += ByteWriter.FormatPadded((uint)date.Month, 2, _scratch.AsSpan(pos));
        _scratch[pos++] = (byte)'-';
        pos += ByteWriter.FormatPadded((uint)date.Day, 2, _scratch.AsSpan(pos));
        if (!_csv) _scratch[pos++] = (byte)'"';
        return pos;
    }

    private int Number(double value, int precision, int pos)
    {
        ((double)Math.Round(value, precision)).TryFormat(_scratch.AsSpan(pos), out int written, precision switch { 0 => "F0", 1 => "F1", _ => "F5" }, System.Globalization.CultureInfo.InvariantCulture);
        return pos + written;
    }

    private void Ensure(int size)
    {
        if (size > _scratch.Length) Array.Resize(ref _scratch, Math.Max(size, _scratch.Length * 2));
    }
}
