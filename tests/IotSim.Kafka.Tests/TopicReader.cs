using Confluent.Kafka;

namespace IotSim.Kafka.Tests;

/// <summary>Reads a topic back with a Confluent.Kafka consumer.</summary>
internal static class TopicReader
{
    /// <summary>Consumes <paramref name="topic"/> until <paramref name="done"/> holds (or 60 s), then waits 1 s for one more message, which would be one too many.</summary>
    public static List<Message<byte[]?, byte[]>> ReadAll(string bootstraps, string topic, Func<List<Message<byte[]?, byte[]>>, bool> done)
    {
        var config = new ConsumerConfig { BootstrapServers = bootstraps, GroupId = "t-" + Guid.NewGuid().ToString("N"), AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false };
        using IConsumer<byte[]?, byte[]> consumer = new ConsumerBuilder<byte[]?, byte[]>(config).Build();
        consumer.Subscribe(topic);
        var messages = new List<Message<byte[]?, byte[]>>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done(messages) && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500))?.Message is { } m) messages.Add(m);
        }
        if (consumer.Consume(TimeSpan.FromSeconds(1))?.Message is { } extra) messages.Add(extra);
        consumer.Close();
        return messages;
    }
}
