using System.CommandLine;
using System.Globalization;
using IotSim.Kafka;

namespace IotSim.Cli;

/// <summary><c>kafka-mock</c>: librdkafka's mock cluster in its own process, to try the kafka sink without a Kafka installation.</summary>
internal static class KafkaMockCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers.", DefaultValueFactory = _ => 1 };
        var topics = new Option<string[]>("--topic") { Description = "Create a topic: NAME or NAME:PARTITIONS (repeatable; other topics are created on first use with 4 partitions).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("kafka-mock", "Run librdkafka's mock Kafka cluster on 127.0.0.1 until stopped (Ctrl-C): prints its bootstrap servers. Each partition keeps only a few MiB; for trials and benchmarks, not storage.")
        {
            brokers, topics,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int count = parse.GetValue(brokers);
            if (count is < 1 or > 32)
            {
                await error.WriteLineAsync($"error: --brokers {count}: allowed 1 to 32").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            var wanted = new List<(string Name, int Partitions)>();
            foreach (string t in parse.GetValue(topics) ?? [])
            {
                string[] parts = t.Split(':');
                if (parts.Length > 2 || parts[0].Length == 0 || (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 10_000)))
                {
                    await error.WriteLineAsync($"error: --topic '{t}': expected NAME or NAME:PARTITIONS with 1 to 10000 partitions").ConfigureAwait(false);
                    return ExitCodes.BadInput;
                }
                wanted.Add((parts[0], parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 4));
            }
            using var cluster = new KafkaMockCluster(count);
            foreach (var (name, partitions) in wanted) cluster.CreateTopic(name, partitions);
            await output.WriteLineAsync(cluster.Bootstraps).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
