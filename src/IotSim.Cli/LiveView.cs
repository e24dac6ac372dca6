using System.Globalization;
using IotSim.Core.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IotSim.Cli;

/// <summary>
/// What <c>iotsim run</c> shows while it runs, from the run's <see cref="RunMonitor"/>: on a terminal, a live table
/// (Spectre.Console) with a progress bar and ETA and, per sink, rate, delivered, dropped, failed, queue fill, write
/// latency p50/p99 and lag, redrawn every second; elsewhere, one plain line every <c>--progress</c> interval. It reads
/// the monitor's latest snapshot; the run's collector fills it once a second.
/// Everything goes to standard error, so a console sink's data on standard output never mixes with it.
/// </summary>
internal sealed class LiveView
{
    private readonly RunMonitor _monitor;
    private readonly TextWriter _error;
    private readonly bool _terminal;
    private readonly TimeSpan _interval;

    public LiveView(RunMonitor monitor, TextWriter error, bool terminal, TimeSpan interval)
    {
        _monitor = monitor;
        _error = error;
        _terminal = terminal;
        _interval = interval;
    }

    /// <summary>Shows the run until <paramref name="cancellationToken"/> is cancelled (the run is over).</summary>
    public async Task ShowAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_terminal) await LiveAsync(cancellationToken).ConfigureAwait(false);
            else await PlainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run ended: the summary follows.
        }
    }

    private async Task PlainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(_interval, cancellationToken).ConfigureAwait(false);
            if (_monitor.Latest is { } latest) await _error.WriteLineAsync(Line(latest)).ConfigureAwait(false);
        }
    }

    private async Task LiveAsync(CancellationToken cancellationToken)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_error),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        await console.Live(Render(_monitor.Latest ?? Empty))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                try
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                        context.UpdateTarget(Render(_monitor.Latest ?? Empty));
                        context.Refresh();
                    }
                }
                catch (OperationCanceledException)
                {
                    // The last view stays on screen above the summary.
                    context.UpdateTarget(Render(_monitor.Latest ?? Empty));
                    context.Refresh();
                }
            }).ConfigureAwait(false);
    }

    private static readonly RunSnapshot Empty = new(DateTimeOffset.UnixEpoch, TimeSpan.Zero, null, null, 0, 0, new Dictionary<string, long>(), []);

    /// <summary>One plain progress line.</summary>
    internal static string Line(RunSnapshot s)
    {
        var line = new System.Text.StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"progress: {Elapsed(s.Elapsed)}");
        if (s.Progress is { } p) line.Append(CultureInfo.InvariantCulture, $", {p * 100:F1}%{(s.Eta is { } eta && p < 1 ? $", ETA {Elapsed(eta)}" : "")}");
        line.Append(CultureInfo.InvariantCulture, $", {s.Generated:N0} generated ({Rate(s.GeneratedPerSecond)}/s)");
        if (s.LagSeconds >= 0.05) line.Append(CultureInfo.InvariantCulture, $", lag {s.LagSeconds:F1} s");
        foreach (SinkSnapshot k in s.Sinks)
        {
            line.Append(CultureInfo.InvariantCulture, $"; {k.Name}: {k.Delivered:N0} delivered ({Rate(k.DeliveredPerSecond)}/s)");
            if (k.Dropped > 0) line.Append(CultureInfo.InvariantCulture, $", {k.Dropped:N0} dropped");
            if (k.Failed > 0) line.Append(CultureInfo.InvariantCulture, $", {k.Failed:N0} failed");
            line.Append(CultureInfo.InvariantCulture, $", queue {k.QueueFill * 100:F0}%");
            if (k.Interval.Count > 0) line.Append(CultureInfo.InvariantCulture, $", p50 {k.Interval.P50:F1} ms, p99 {k.Interval.P99:F1} ms");
            if (k.Error is not null) line.Append(", ERROR");
        }
        return line.ToString();
    }

    private static Rows Render(RunSnapshot s)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("sink");
        foreach (string c in new[] { "rate/s", "delivered", "dropped", "failed", "queue", "p50 ms", "p99 ms" })
        {
            table.AddColumn(new TableColumn(c).RightAligned());
        }
        foreach (SinkSnapshot k in s.Sinks)
        {
            LatencySummary latency = k.Interval.Count > 0 ? k.Interval : k.Total;
            table.AddRow(
                Markup.Escape(k.Name) + (k.Error is null ? "" : " [red]ERROR[/]"),
                Rate(k.DeliveredPerSecond),
                k.Delivered.ToString("N0", CultureInfo.InvariantCulture),
                k.Dropped == 0 ? "0" : $"[yellow]{k.Dropped:N0}[/]",
                k.Failed == 0 ? "0" : $"[red]{k.Failed:N0}[/]",
                $"{k.QueueFill * 100:F0}%",
                latency.Count == 0 ? "-" : latency.P50.ToString("F1", CultureInfo.InvariantCulture),
                latency.Count == 0 ? "-" : latency.P99.ToString("F1", CultureInfo.InvariantCulture));
        }
        var header = new System.Text.StringBuilder();
        if (s.Progress is { } p)
        {
            const int width = 30;
            int done = (int)Math.Round(p * width);
            header.Append(CultureInfo.InvariantCulture, $"[green]{new string('━', done)}[/][grey]{new string('━', width - done)}[/] {p * 100:F1}%");
            if (s.Eta is { } eta && p < 1) header.Append(CultureInfo.InvariantCulture, $"  ETA {Elapsed(eta)}");
            header.Append("  ");
        }
        header.Append(CultureInfo.InvariantCulture, $"elapsed {Elapsed(s.Elapsed)}  generated {s.Generated:N0} ({Rate(s.GeneratedPerSecond)}/s)");
        header.Append(CultureInfo.InvariantCulture, $"  lag {(s.LagSeconds > 0 ? $"[yellow]{s.LagSeconds:F1} s[/]" : "0 s")}");
        var rows = new List<IRenderable> { new Markup(header.ToString()), table };
        foreach (SinkSnapshot k in s.Sinks.Where(k => k.Error is not null))
        {
            rows.Add(new Markup($"[red]{Markup.Escape(Core.Util.Redactor.Text(k.Error!))}[/]"));
        }
        return new Rows(rows);
    }

    private static string Rate(double perSecond) => perSecond switch
    {
        >= 1e6 => (perSecond / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (perSecond / 1e3).ToString("F1", CultureInfo.InvariantCulture) + " k",
        _ => perSecond.ToString("F0", CultureInfo.InvariantCulture),
    };

    private static string Elapsed(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}h{t.Minutes:D2}m{t.Seconds:D2}s"
        : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F1}s";
}
