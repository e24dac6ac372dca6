using System.Reflection;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests;

/// <summary>Core stays free of I/O packages: each heavy dependency lives in its own target project.</summary>
public sealed class CoreDependencyTests
{
    [Theory]
    [InlineData("Npgsql")]
    [InlineData("Confluent.Kafka")]
    [InlineData("Parquet")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("MQTTnet")]
    [InlineData("DuckDB.NET")]
    public void Core_ReferencesNoHeavyPackage(string package)
    {
        AssemblyName[] references = typeof(Scenario).Assembly.GetReferencedAssemblies();
        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, r => r.Name!.StartsWith(package, StringComparison.OrdinalIgnoreCase));
    }
}
