using System.Net.Http.Headers;
using System.Text.Json;

namespace IotSim.Monitoring.Tests;

/// <summary>Requests to a monitoring server over a real socket.</summary>
internal static class Http
{
    private static readonly HttpClient s_client = new() { Timeout = TimeSpan.FromSeconds(20) };

    public static async Task<(int Status, string Body)> GetAsync(Uri url, string? token = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await s_client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> JsonAsync(Uri url, string? token = null)
    {
        (int status, string body) = await GetAsync(url, token);
        Assert.True(status == 200, $"{url}: HTTP {status}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return true;
            await Task.Delay(200);
        }
        return await condition();
    }
}
