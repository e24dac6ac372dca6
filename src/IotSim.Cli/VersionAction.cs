using System.CommandLine;
using System.CommandLine.Invocation;

namespace IotSim.Cli;

/// <summary><c>iotsim --version</c>: System.CommandLine's version option, printing <see cref="BuildInfo.Text"/> instead of the bare version.</summary>
internal sealed class VersionAction(TextWriter output) : SynchronousCommandLineAction
{
    /// <summary>Replaces the action of <paramref name="root"/>'s built-in version option.</summary>
    public static void Install(RootCommand root, TextWriter output)
    {
        foreach (Option o in root.Options)
        {
            if (o is VersionOption version) version.Action = new VersionAction(output);
        }
    }

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        output.Write(BuildInfo.Text);
        return ExitCodes.Ok;
    }
}
