using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Strata.Functions.Tests;

public class HandlerAppTests
{
    [Fact]
    public async Task Health_PostedAsTheHostDoes_AnswersAResponseDocument()
    {
        await using var app = HandlerApp.Build(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.PostAsJsonAsync("/health", new { Data = new { }, Metadata = new { } });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(200, body!["Outputs"]!["res"]!["statusCode"]!.GetValue<int>());
        await app.StopAsync();
    }
}
