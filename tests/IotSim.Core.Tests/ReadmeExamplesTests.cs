using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests;

/// <summary>The C# example of the README, kept compiling and running.</summary>
public sealed class ReadmeExamplesTests
{
    [Fact]
    public async Task CSharpApiExample_Runs()
    {
        int total = 0;
        var scenario = new Scenario
        {
            Industries = ["mining"],
            Devices = 10,
            Duration = TimeSpan.FromMinutes(5),
            CustomSensors = [new SensorDefinition { Name = "co2_level", Type = SensorType.Level, Unit = "ppm", Min = 400, Max = 2000, Nominal = 600, NoiseStd = 15 }],
        };
        var sim = new Simulator(scenario);
        sim.AddSink(new CallbackSink(readings => total += readings.Count));
        RunReport report = await sim.RunAsync();

        Assert.True(report.Succeeded);
        Assert.Equal(report.Generated, total);
        Assert.Equal(18 * 10, sim.Fleet!.ChannelCount);
    }
}
