using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Kafka.Tests;

/// <summary>The kafka sink's <c>properties</c>: a YAML mapping or name=value text, secrets from the environment.</summary>
public sealed class KafkaPropertiesTests
{
    private static readonly SinkRegistry s_sinks = SinkRegistry.CreateDefault().Register(new KafkaSinkProvider());

    private static Dictionary<string, string> Pairs(string properties, Func<string, string?>? environment = null)
    {
        Scenario s = ScenarioLoader.Load($"sinks:\n  - type: kafka\n    brokers: 127.0.0.1:1\n    properties:{properties}\n", "k.yaml", null, s_sinks);
        return SinkSettings.Pairs(s.Sinks[0], new SinkContext(s) { Environment = environment ?? (_ => null) }, KafkaSinkProvider.Properties);
    }

    [Fact]
    public void AMapping_GivesItsPairs_ValuesWithSeparatorsIntact_SecretsFromTheEnvironment()
    {
        var pairs = Pairs("\n      acks: all\n      linger.ms: 5\n      enable.idempotence: true\n      sasl.jaas.config: \"a=b; c=d;\"\n      sasl.password: ${KAFKA_PW}\n",
            name => name == "KAFKA_PW" ? "p;w=1" : null);
        Assert.Equal(new Dictionary<string, string>
        {
            ["acks"] = "all",
            ["linger.ms"] = "5",
            ["enable.idempotence"] = "true",
            ["sasl.jaas.config"] = "a=b; c=d;",
            ["sasl.password"] = "p;w=1",
        }, pairs);
    }

    [Fact]
    public void TheTextForm_GivesTheSamePairs_ASecretWithSeparatorsStaysWhole() =>
        Assert.Equal(new Dictionary<string, string> { ["acks"] = "all", ["linger.ms"] = "5", ["sasl.password"] = "p;w=1" },
            Pairs(" \"acks=all; linger.ms=5; sasl.password=${KAFKA_PW}\"", name => name == "KAFKA_PW" ? "p;w=1" : null));

    [Fact]
    public void ATextPairWithoutEquals_IsNamedByItsPlace_NeverQuoted()
    {
        var e = Assert.Throws<ConfigException>(() => Pairs(" \"acks=all; sasl.password:hunter2\""));
        Assert.Contains("pair 2 of 2 is not name=value", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnsetVariable_NamesTheEntryAndItsLine_NeverAValue()
    {
        var e = Assert.Throws<ConfigException>(() => Pairs("\n      acks: all\n      sasl.password: ${NOT_SET_HERE}\n"));
        Assert.Equal("sinks[0].properties.sasl.password", e.Key);
        Assert.Equal(6, e.Line);
        Assert.Contains("NOT_SET_HERE is not set", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n      acks: [all]\n", "sinks[0].properties.acks", "expected a text, number or boolean value")]
    [InlineData("\n      acks: all\n      acks: 1\n", null, "Duplicate key acks")] // YAML's own check, with the line
    [InlineData(" \"acks\"", "sinks[0].properties", "pair 1 of 1 is not name=value")]
    public void BadEntries_AreRefusedAtTheirKey(string properties, string? key, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => Pairs(properties));
        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
