using System.Text.RegularExpressions;

namespace IotSim.Core.Util;

/// <summary>
/// Hides secrets in settings before they leave the process: whole values of keys that name a secret (password, secret,
/// token, key-like and credential names, HTTP authorization headers, Kafka <c>sasl.*</c> properties), and inside other
/// values the passwords of connection strings (<c>Password=…</c>), URLs (<c>user:pass@</c>) and name=value pairs.
/// </summary>
public static partial class Redactor
{
    /// <summary>What a hidden value is replaced with.</summary>
    public const string Mask = "***";

    private static readonly string[] s_secretWords =
    [
        "password", "passwd", "passphrase", "secret", "token", "credential", "authorization", "cookie", "apikey", "api_key", "api-key",
        "private", "sasl", "jaas",
    ];

    /// <summary>
    /// Whether a setting named <paramref name="key"/> (dotted for map entries, e.g. <c>properties.sasl.password</c>)
    /// holds a secret. A bare <c>key</c> (a Kafka message key) is not one; <c>access_key</c> or <c>ssl.key.pem</c> are.
    /// </summary>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string k = key.ToLowerInvariant();
        foreach (string word in s_secretWords)
        {
            if (k.Contains(word, StringComparison.Ordinal)) return true;
        }
        string[] parts = k.Split('.', '_', '-');
        return parts.Any(p => p is "pwd" or "pass") || (parts.Length > 1 && parts.Any(p => p is "key" or "auth"));
    }

    /// <summary><paramref name="value"/> as it may be shown for the setting <paramref name="key"/>.</summary>
    public static string Value(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsSecretKey(key) ? Mask : Text(value);
    }

    /// <summary>
    /// <paramref name="text"/> with the secrets it may embed hidden: values of secret-named <c>name=value</c> pairs
    /// (connection strings, Kafka property text) and the password of <c>scheme://user:password@host</c> URLs.
    /// </summary>
    public static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string result = UrlPassword().Replace(text, m => m.Groups[1].Value + Mask + "@");
        return SecretPair().Replace(result, m => IsSecretKey(m.Groups[1].Value.Trim()) ? m.Groups[1].Value + m.Groups[2].Value + Mask : m.Value);
    }

    /// <summary>Settings with every secret hidden.</summary>
    public static Dictionary<string, string> Settings(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = new Dictionary<string, string>(settings.Count, StringComparer.Ordinal);
        foreach (var (key, value) in settings) result[key] = Value(key, value);
        return result;
    }

    // scheme://user:password@ — the user stays, the password goes.
    [GeneratedRegex(@"(\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s/]*@")]
    private static partial Regex UrlPassword();

    // name=value up to ';' (or the end): connection strings and the text form of map options.
    [GeneratedRegex(@"([A-Za-z][A-Za-z0-9 ._-]*?)(\s*=\s*)[^;]*")]
    private static partial Regex SecretPair();
}
