using System.Globalization;
using System.Reflection;
using System.Text;

namespace IotSim.Core.Catalog;

/// <summary>A city devices can be placed in.</summary>
/// <param name="Name">Common English name, e.g. <c>São Paulo</c>.</param>
/// <param name="Country">ISO 3166-1 alpha-2 code.</param>
/// <param name="Region">State, province or prefecture.</param>
/// <param name="Latitude">Degrees, north positive.</param>
/// <param name="Longitude">Degrees, east positive.</param>
/// <param name="TimeZone">IANA time zone, e.g. <c>America/Sao_Paulo</c>.</param>
/// <param name="Population">Metropolitan population (the weight of the city when devices are placed).</param>
public sealed record City(string Name, string Country, string Region, double Latitude, double Longitude, string TimeZone, long Population);

/// <summary>The built-in list of world cities (embedded <c>cities.csv</c>), largest first.</summary>
public static class Cities
{
    private static readonly Lazy<IReadOnlyList<City>> s_all = new(Load);

    /// <summary>Every built-in city, by population, largest first.</summary>
    public static IReadOnlyList<City> All => s_all.Value;

    /// <summary>The city named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static City? Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    private static List<City> Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("IotSim.Catalog.cities.csv")
            ?? throw new InvalidOperationException("embedded catalog 'cities.csv' is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var cities = new List<City>();
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            string[] f = line.Split(',');
            cities.Add(new City(f[0], f[1], f[2], double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture),
                f[5], long.Parse(f[6], CultureInfo.InvariantCulture)));
        }
        cities.Sort((a, b) => b.Population.CompareTo(a.Population));
        return cities;
    }
}
