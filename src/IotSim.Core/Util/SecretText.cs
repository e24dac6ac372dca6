namespace IotSim.Core.Util;

/// <summary>
/// Expands <c>${NAME}</c> in a secret setting (a password, a token) from the environment, so secrets stay out of
/// scenario files; <c>$$</c> is a literal <c>$</c>. Errors name the variable, never a value.
/// </summary>
public static class SecretText
{
    /// <summary>
    /// <paramref name="text"/> with every <c>${NAME}</c> read through <paramref name="environment"/>; a problem (an unset
    /// variable, a bad name, an unclosed brace) is turned into an exception by <paramref name="error"/>.
    /// </summary>
    public static string Expand(string text, Func<string, string?> environment, Func<string, Exception> error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(error);
        var result = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
            }
            else if (text[i + 1] == '$')
            {
                result.Append('$');
                i++;
            }
            else if (text[i + 1] == '{')
            {
                int end = text.IndexOf('}', i + 2);
                if (end < 0) throw error("'${' without a closing '}' (write $$ for a literal $)");
                string name = text[(i + 2)..end];
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    throw error($"'${{{Excerpt.Of(name)}}}' is not an environment variable name (letters, digits and _)");
                }
                result.Append(environment(name) ?? throw error($"the environment variable {name} is not set"));
                i = end;
            }
            else
            {
                result.Append('$');
            }
        }
        return result.ToString();
    }
}
