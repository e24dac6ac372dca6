using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace IotSim.Cli.Tests;

/// <summary>
/// Property test over hostile scenario files: every mutation of the shipped scenarios and the starter scenario either
/// validates (exit 0) or is refused as bad input (exit 2) with a short message, never throws or hangs; the ones that
/// validate with a small plan also run.
/// </summary>
public sealed partial class ScenarioFuzzTests(ITestOutputHelper log)
{
    private const int Seed = 20_260_101;
    private const int Cases = 3000;
    private const long MaxRunReadings = 2_000_000;
    private const int MaxErrorBytes = 4096;
    private const int MaxFailures = 10;

    /// <summary>Generous: a case takes milliseconds; this only tells a hang from a slow machine.</summary>
    private static readonly TimeSpan s_caseTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ValidateAndRun_MutatedScenarios_ExitZeroOrTwo_ShortErrors_NoHang()
    {
        List<string> corpus = await CorpusAsync();
        string dir = Directory.CreateTempSubdirectory("iotsim-fuzz-").FullName;
        var failures = new List<string>();
        int valid = 0, refused = 0, ran = 0;
        try
        {
            // custom-sensors.yaml reads this CSV relative to itself.
            File.Copy(CliHarness.ScenarioPath("custom-sensors.csv"), Path.Combine(dir, "custom-sensors.csv"));
            var mutator = new ScenarioMutator(Seed, corpus);
            for (int i = 0; i < Cases && failures.Count < MaxFailures; i++)
            {
                (byte[] content, string edits) = mutator.Next();
                string file = Path.Combine(dir, $"case-{i:D4}.yaml");
                await File.WriteAllBytesAsync(file, content);
                string Describe(string problem) =>
                    $"case {i} (seed {Seed}, kept at {file}): {problem}\n  edits: {edits}\n  content ({content.Length:N0} bytes):\n{Excerpt(content)}";

                Outcome v = await InvokeAsync(["validate", file]);
                if (Check(v, "validate", [0, 2]) is { } vProblem)
                {
                    failures.Add(Describe(vProblem));
                    continue;
                }
                if (v.Code == 2)
                {
                    refused++;
                    File.Delete(file);
                    continue;
                }
                valid++;
                if (Plan(v.Output) is not { } plan || plan.Readings > MaxRunReadings)
                {
                    File.Delete(file);
                    continue;
                }
                // --mode backfill caps the run's time; a realtime plan keeps its range by starting where validate started it.
                string[] run = plan.Realtime
                    ? ["run", file, "-s", "null", "-q", "--mode", "backfill", "--start", plan.Start]
                    : ["run", file, "-s", "null", "-q", "--mode", "backfill"];
                Outcome r = await InvokeAsync(run);
                ran++;
                if (Check(r, "run", [0]) is { } rProblem)
                {
                    failures.Add(Describe($"{rProblem}\n  validate said:\n{v.Output}"));
                    continue;
                }
                File.Delete(file);
            }
        }
        finally
        {
            if (failures.Count == 0) Directory.Delete(dir, true);
        }
        log.WriteLine($"{Cases:N0} mutated scenarios (seed {Seed}): {valid:N0} validated (exit 0), {refused:N0} refused (exit 2), {ran:N0} of the valid ones run into the null sink");
        Assert.True(failures.Count == 0, $"{failures.Count} failing case(s) (the folder with their files is kept):\n\n" + string.Join("\n\n", failures));
        // The mutations must reach both sides, or the property says little.
        Assert.InRange(valid, Cases / 20, Cases - Cases / 20);
        Assert.True(ran >= Cases / 20, $"only {ran} cases ran");
    }

    private sealed record Outcome(int? Code, string Output, string Error, Exception? Thrown, bool TimedOut);

    private sealed record PlanInfo(long Readings, bool Realtime, string Start);

    private static async Task<List<string>> CorpusAsync()
    {
        var corpus = new List<string>();
        foreach (string name in new[] { "quickstart.yaml", "realtime-demo.yaml", "custom-sensors.yaml", "large-backfill.yaml" })
        {
            corpus.Add(await File.ReadAllTextAsync(CliHarness.ScenarioPath(name)));
        }
        CliResult init = await CliHarness.RunAsync("init-config");
        Assert.Equal(0, init.ExitCode);
        corpus.Add(init.Output);
        return corpus;
    }

    private static async Task<Outcome> InvokeAsync(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // Task.Run: the loader is synchronous, so only a task on another thread can be timed out.
        Task<int> task = Task.Run(() => CliApp.RunAsync(args, output, error, Stream.Null));
        try
        {
            int code = await task.WaitAsync(s_caseTimeout);
            return new Outcome(code, output.ToString(), error.ToString(), null, false);
        }
        catch (TimeoutException)
        {
            return new Outcome(null, "", "", null, true);
        }
        catch (Exception ex)
        {
            return new Outcome(null, output.ToString(), error.ToString(), ex, false);
        }
    }

    private static string? Check(Outcome o, string command, int[] allowed)
    {
        if (o.TimedOut) return $"{command} did not finish within {s_caseTimeout.TotalSeconds:0} s";
        if (o.Thrown is not null) return $"{command} threw {o.Thrown}";
        if (!allowed.Contains(o.Code!.Value)) return $"{command} exited {o.Code} (allowed: {string.Join(", ", allowed)})\n  stderr: {Truncate(o.Error)}";
        int errorBytes = Encoding.UTF8.GetByteCount(o.Error);
        if (errorBytes >= MaxErrorBytes) return $"{command} wrote {errorBytes:N0} bytes of error text (limit {MaxErrorBytes:N0})\n  stderr: {Truncate(o.Error)}";
        if (o.Code == 2 && o.Error.Trim().Length == 0) return $"{command} exited 2 without saying why";
        if (command == "validate" && o.Code == 0 && !o.Output.Contains(": valid", StringComparison.Ordinal)) return $"validate exited 0 without 'valid'\n  stdout: {Truncate(o.Output)}";
        return null;
    }

    private static PlanInfo? Plan(string validateOutput)
    {
        Match readings = ReadingsPlanned().Match(validateOutput);
        Match time = TimeLine().Match(validateOutput);
        Assert.True(readings.Success && time.Success, "validate output lacks 'readings planned' or 'time':\n" + validateOutput);
        if (readings.Groups[1].Value == "unbounded") return null;
        long n = long.Parse(readings.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        return new PlanInfo(n, time.Groups[1].Value == "realtime", time.Groups[2].Value);
    }

    /// <summary>The file as text with control characters and invalid UTF-8 made visible, cut to a readable size.</summary>
    private static string Excerpt(byte[] content)
    {
        string text = Encoding.UTF8.GetString(content);
        var sb = new StringBuilder();
        foreach (char c in text.Length <= 3000 ? text : text[..2000] + $"\n…({text.Length - 2500:N0} chars cut)…\n" + text[^500..])
        {
            sb.Append(c switch
            {
                '\n' => "\n    ",
                '\t' => "\\t",
                '\uFFFD' => "\\uFFFD",
                < ' ' or '\u007F' or (>= '\u0080' and < '\u00A0') or '\u2028' or '\u2029' or '\u202E' or '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return "    " + sb;
    }

    private static string Truncate(string s) => s.Length <= 2000 ? s : s[..2000] + $"…({s.Length:N0} chars)";

    [GeneratedRegex(@"readings planned: ([\d,]+|unbounded)")]
    private static partial Regex ReadingsPlanned();

    [GeneratedRegex(@"time: (backfill|realtime) from (\S+) to ")]
    private static partial Regex TimeLine();
}
