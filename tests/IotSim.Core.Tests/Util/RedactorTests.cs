using IotSim.Core.Util;

namespace IotSim.Core.Tests.Util;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("password")]
    [InlineData("token")]
    [InlineData("properties.sasl.password")]
    [InlineData("properties.sasl.username")]
    [InlineData("properties.ssl.key.password")]
    [InlineData("properties.ssl.key.pem")]
    [InlineData("headers.Authorization")]
    [InlineData("access_key")]
    [InlineData("api_key")]
    [InlineData("client_secret")]
    public void IsSecretKey_SecretNames_AreSecret(string key) => Assert.True(Redactor.IsSecretKey(key));

    [Theory]
    [InlineData("key")]
    [InlineData("topic")]
    [InlineData("connection")]
    [InlineData("url")]
    [InlineData("table")]
    [InlineData("properties.acks")]
    public void IsSecretKey_OrdinaryNames_AreNot(string key) => Assert.False(Redactor.IsSecretKey(key));

    [Theory]
    [InlineData("Host=db;Username=iot;Password=hunter2;Database=iot", "Host=db;Username=iot;Password=***;Database=iot")]
    [InlineData("Host=db; password = hunter2", "Host=db; password = ***")]
    [InlineData("Server=x;Pwd=hunter2", "Server=x;Pwd=***")]
    [InlineData("https://iot:hunter2@influx.example:8086/write", "https://iot:***@influx.example:8086/write")]
    [InlineData("postgresql://iot:hunter2@db/iot", "postgresql://iot:***@db/iot")]
    [InlineData("sasl.mechanism=PLAIN;sasl.password=hunter2;acks=all", "sasl.mechanism=***;sasl.password=***;acks=all")]
    [InlineData("./output", "./output")]
    [InlineData("http://influx:8086", "http://influx:8086")]
    public void Text_HidesEmbeddedSecrets(string text, string expected) => Assert.Equal(expected, Redactor.Text(text));

    [Fact]
    public void Settings_HidesSecretKeysAndEmbeddedPasswords_KeepsTheRest()
    {
        var settings = new Dictionary<string, string>
        {
            ["connection"] = "Host=db;Password=hunter2",
            ["properties.sasl.password"] = "hunter2",
            ["token"] = "${INFLUX_TOKEN}",
            ["topic"] = "plant",
            ["key"] = "device_id",
        };

        Dictionary<string, string> shown = Redactor.Settings(settings);

        Assert.Equal("Host=db;Password=***", shown["connection"]);
        Assert.Equal(Redactor.Mask, shown["properties.sasl.password"]);
        Assert.Equal(Redactor.Mask, shown["token"]);
        Assert.Equal("plant", shown["topic"]);
        Assert.Equal("device_id", shown["key"]);
        Assert.DoesNotContain(shown.Values, v => v.Contains("hunter2", StringComparison.Ordinal));
    }
}
