namespace IotSim.Core.Scenarios;

/// <summary>
/// A target rate over time, in readings per second, for <see cref="TimeMode.Rate"/>: <c>constant</c>, <c>ramp</c>
/// (linear from <see cref="From"/> to <see cref="To"/> over <see cref="Over"/>, then holding), <c>steps</c> (each rate
/// held for its time, the last one held on) or <c>burst</c> (<see cref="Peak"/> for <see cref="Length"/> at the start
/// of every <see cref="Every"/>, <see cref="From"/> otherwise). Pacing follows the integral (<see cref="ReadingsBy"/>),
/// so it is exact over long runs.
/// </summary>
public sealed record RateProfile
{
    /// <summary>Profile names.</summary>
    public static readonly IReadOnlyList<string> Profiles = ["constant", "ramp", "steps", "burst"];

    /// <summary>constant, ramp, steps or burst.</summary>
    public string Profile { get; init; } = "constant";

    /// <summary>constant: the rate; ramp: the starting rate; burst: the base rate.</summary>
    public double From { get; init; } = 100_000;

    /// <summary>ramp: the final rate.</summary>
    public double To { get; init; }

    /// <summary>ramp: how long the ramp takes.</summary>
    public TimeSpan Over { get; init; }

    /// <summary>steps: each rate and how long it is held.</summary>
    public IReadOnlyList<(double Rate, TimeSpan Hold)> Steps { get; init; } = [];

    /// <summary>burst: the rate during a burst.</summary>
    public double Peak { get; init; }

    /// <summary>burst: the burst period.</summary>
    public TimeSpan Every { get; init; }

    /// <summary>burst: how long each burst lasts.</summary>
    public TimeSpan Length { get; init; }

    /// <summary>A constant rate.</summary>
    public static RateProfile Constant(double rate) => new() { Profile = "constant", From = rate };

    /// <summary>The target rate <paramref name="elapsed"/> after the start.</summary>
    public double RateAt(TimeSpan elapsed)
    {
        double t = Math.Max(0, elapsed.TotalSeconds);
        switch (Profile)
        {
            case "ramp":
                double over = Over.TotalSeconds;
                return over <= 0 || t >= over ? To : From + ((To - From) * t / over);
            case "steps":
                foreach ((double rate, TimeSpan hold) in Steps)
                {
                    if (t < hold.TotalSeconds) return rate;
                    t -= hold.TotalSeconds;
                }
                return Steps.Count == 0 ? From : Steps[^1].Rate;
            case "burst":
                double every = Every.TotalSeconds;
                return every > 0 && t % every < Length.TotalSeconds ? Peak : From;
            default:
                return From;
        }
    }

    /// <summary>Readings the profile allows in the first <paramref name="elapsed"/> (the integral of the rate).</summary>
    public double ReadingsBy(TimeSpan elapsed)
    {
        double t = Math.Max(0, elapsed.TotalSeconds);
        switch (Profile)
        {
            case "ramp":
                double over = Over.TotalSeconds;
                if (over <= 0) return To * t;
                double ramp = Math.Min(t, over);
                double during = (From * ramp) + ((To - From) * ramp * ramp / (2 * over));
                return during + (To * Math.Max(0, t - over));
            case "steps":
                double total = 0;
                foreach ((double rate, TimeSpan hold) in Steps)
                {
                    double h = hold.TotalSeconds;
                    if (t <= h) return total + (rate * t);
                    total += rate * h;
                    t -= h;
                }
                return total + ((Steps.Count == 0 ? From : Steps[^1].Rate) * t);
            case "burst":
                double every = Every.TotalSeconds, length = Math.Min(Length.TotalSeconds, every);
                if (every <= 0) return From * t;
                double cycles = Math.Floor(t / every), rest = t - (cycles * every);
                double perCycle = (Peak * length) + (From * (every - length));
                return (cycles * perCycle) + (Peak * Math.Min(rest, length)) + (From * Math.Max(0, rest - length));
            default:
                return From * t;
        }
    }

    /// <summary>The highest rate the profile reaches.</summary>
    public double MaxRate => Profile switch
    {
        "ramp" => Math.Max(From, To),
        "steps" => Steps.Count == 0 ? From : Steps.Max(s => s.Rate),
        "burst" => Math.Max(From, Peak),
        _ => From,
    };

    /// <summary>The profile as one line for reports, e.g. <c>ramp 1,000 → 100,000 readings/s over 1m</c>.</summary>
    public override string ToString() => Profile switch
    {
        "ramp" => $"ramp {From:N0} → {To:N0} readings/s over {DurationParser.Format(Over)}",
        "steps" => "steps " + string.Join(", ", Steps.Select(s => $"{s.Rate:N0}/s for {DurationParser.Format(s.Hold)}")),
        "burst" => $"burst {From:N0} readings/s, {Peak:N0} for {DurationParser.Format(Length)} every {DurationParser.Format(Every)}",
        _ => $"constant {From:N0} readings/s",
    };
}
