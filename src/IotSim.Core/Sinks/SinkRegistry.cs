using System.Diagnostics.CodeAnalysis;
using IotSim.Core.Scenarios;
using IotSim.Core.Util;

namespace IotSim.Core.Sinks;

/// <summary>
/// The sink types a program offers, registered explicitly (no reflection scanning, so NativeAOT-safe). The scenario
/// loader, the command line, <c>list-sinks</c> and the JSON Schema read it.
/// </summary>
[Experimental("IOTSIM001")]
public sealed class SinkRegistry
{
    private readonly List<ISinkProvider> _providers = [];

    /// <summary>A registry with the built-in sinks: console, file and null.</summary>
    public static SinkRegistry CreateDefault() =>
        new SinkRegistry().Register(new ConsoleSinkProvider()).Register(new FileSinkProvider()).Register(new NullSinkProvider());

    /// <summary>The built-in sinks (shared; register more on a registry of your own from <see cref="CreateDefault"/>).</summary>
    public static SinkRegistry Default { get; } = CreateDefault();

    /// <summary>The registered providers, in registration order.</summary>
    public IReadOnlyList<ISinkProvider> Providers => _providers;

    /// <summary>The registered type names, in registration order.</summary>
    public IReadOnlyList<string> Types => [.. _providers.Select(p => p.Type)];

    /// <summary>Adds a provider; its type must be new and a valid name.</summary>
    public SinkRegistry Register(ISinkProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (OptionSpecs.SinkName.ParseName(provider.Type, out _) is { } problem)
        {
            throw new ArgumentException($"sink type '{provider.Type}': {problem}", nameof(provider));
        }
        if (TryGet(provider.Type, out _))
        {
            throw new ArgumentException($"a sink type '{provider.Type}' is already registered", nameof(provider));
        }
        foreach (OptionSpec spec in provider.Options)
        {
            if (Array.IndexOf(SinkOptions.CommonKeys, KeyOf(spec)) >= 0)
            {
                throw new ArgumentException($"sink type '{provider.Type}' redefines the common key '{KeyOf(spec)}'", nameof(provider));
            }
        }
        _providers.Add(provider);
        return this;
    }

    /// <summary>The provider of <paramref name="type"/>, if registered.</summary>
    public bool TryGet(string type, [NotNullWhen(true)] out ISinkProvider? provider)
    {
        provider = _providers.Find(p => p.Type == type);
        return provider is not null;
    }

    /// <summary>The provider of <paramref name="type"/>, or a <see cref="ConfigException"/> listing the registered types.</summary>
    public ISinkProvider Get(string type) =>
        TryGet(type, out ISinkProvider? provider)
            ? provider
            : throw new ConfigException(null, 0, "type", $"unknown sink type '{Excerpt.Of(type)}'{DidYouMean.Suggest(type, Types)}; allowed: {string.Join(", ", Types)}");

    /// <summary>The spec for the type choice, listing the registered types.</summary>
    public OptionSpec TypeSpec => OptionSpecs.SinkType with { Choices = Types };

    /// <summary>Creates the sink <paramref name="options"/> describe.</summary>
    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ISinkProvider provider;
        try
        {
            provider = Get(options.Type);
        }
        catch (ConfigException ex)
        {
            throw context.Error(options, "type", ex.Problem);
        }
        foreach (string key in options.Settings.Keys)
        {
            // A map option's entries are KEY.NAME.
            if (!provider.Options.Any(s => KeyOf(s) == key || (s.IsMap && key.StartsWith(KeyOf(s) + ".", StringComparison.Ordinal))))
            {
                throw context.Error(options, key,
                    $"'{Excerpt.Of(key)}' does not apply to a {provider.Type} sink{DidYouMean.Suggest(key, provider.Options.Select(KeyOf))}; keys for {provider.Type}: {string.Join(", ", KeysOf(provider))}");
            }
        }
        return provider.Create(options, context);
    }

    /// <summary>Every key a sink of this provider accepts: the common ones, then its own.</summary>
    public static IReadOnlyList<string> KeysOf(ISinkProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return [.. SinkOptions.CommonKeys, .. provider.Options.Select(KeyOf)];
    }

    /// <summary>The key of a sink option spec (<c>sinks[].path</c> → <c>path</c>; a "(type)" note is dropped).</summary>
    public static string KeyOf(OptionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.LeafKey;
    }
}
