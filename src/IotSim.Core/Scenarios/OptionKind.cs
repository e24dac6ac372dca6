namespace IotSim.Core.Scenarios;

/// <summary>The form of an option's value.</summary>
public enum OptionKind
{
    /// <summary>A whole number within [Min, Max].</summary>
    Integer,

    /// <summary>A finite number within [Min, Max].</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A duration (<c>500ms</c>, <c>1h30m</c>, a number of seconds) within [MinDuration, MaxDuration].</summary>
    Duration,

    /// <summary>An ISO 8601 timestamp with <c>Z</c> or an offset.</summary>
    Timestamp,

    /// <summary>One of <see cref="OptionSpec.Choices"/>.</summary>
    Choice,

    /// <summary>Non-empty text.</summary>
    Text,

    /// <summary>A name of letters, digits, <c>_</c> and <c>-</c> (it becomes part of file names and ids).</summary>
    Name,

    /// <summary>A byte count (<c>100MB</c>) within [Min, Max].</summary>
    Size,

    /// <summary><c>i/N</c> with 0 ≤ i &lt; N.</summary>
    Shard,
}
