using System.Runtime.InteropServices;

namespace IotSim.Cli;

/// <summary>
/// SIGINT and SIGTERM for a run, registered before anything else and armed once the run starts generating (before
/// that, and in other commands, a signal terminates the process as usual). The first
/// signal stops generating (queued readings are still delivered); a second one, or <see cref="DrainTimeout"/> after
/// the first, aborts delivery. The process never dies on the spot: the run ends, prints its summary and exits with
/// 128 + the signal number.
/// </summary>
internal sealed class RunSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;
    private int _count;
    private int _signal;
    private volatile bool _armed;

    public RunSignals(TextWriter error)
    {
        _error = error;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>How long queued readings are still delivered after the first signal.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cancelled by the first signal: stop generating.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Cancelled by a second signal or when the drain timeout has passed: stop delivering.</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>The exit code of an interrupted run (130 after SIGINT, 143 after SIGTERM), or null when no signal came.</summary>
    public int? ExitCode => Volatile.Read(ref _signal) is var s and > 0 ? 128 + s : null;

    /// <summary>From now on a signal stops the run gracefully; before, it terminates the process as usual.</summary>
    public void Arm() => _armed = true;

    private void Handle(PosixSignalContext context)
    {
        // Outside a run's generation (loading a scenario, validating, bench) the default termination is right.
        if (!_armed) return;
        // Keep the process alive: the run ends on its own and prints its summary.
        context.Cancel = true;
        Interlocked.CompareExchange(ref _signal, context.Signal == PosixSignal.SIGINT ? 2 : 15, 0);
        if (Interlocked.Increment(ref _count) == 1)
        {
            _error.WriteLine($"iotsim: {(context.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM")}: stopped generating; delivering queued readings for up to {DrainTimeout.TotalSeconds:0.#} s (signal again to stop at once)");
            _stop.Cancel();
            _abort.CancelAfter(DrainTimeout);
        }
        else
        {
            _abort.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration r in _registrations) r.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }
}
