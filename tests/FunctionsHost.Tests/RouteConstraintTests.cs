using System.Net;

namespace SessionsServerless.FunctionsHost.Tests;

/// <summary>
/// The front door routes as the Functions host's router does: inline constraints pick between templates that differ only
/// by them, optional parameters may be left out (their constraints still hold when present), defaults fill in, and a
/// path that satisfies no function's constraints is the host's 404 without an invocation.
/// </summary>
[Collection(WorkerAppCollection.Name)]
public sealed class RouteConstraintTests(WorkerAppFixture fixture)
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = fixture.Host.BaseAddress,
        Timeout = TimeSpan.FromSeconds(100),
    };

    [Theory]
    [InlineData("items/42", "ItemById id=42")]
    [InlineData("items/-7", "ItemById id=-7")]
    [InlineData("items/widget", "ItemByName name=widget")]
    [InlineData("archive", "Archive")]
    [InlineData("archive/2024", "Archive year=2024")]
    [InlineData("archive/2024/5", "Archive year=2024 month=5")]
    [InlineData("reports", "Report format=json")]
    [InlineData("reports/csv", "Report format=csv")]
    public async Task A_request_reaches_the_function_whose_constraints_its_path_satisfies(string path, string expected)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("items/ab")]          // alpha, but shorter than minlength(3); not an int either
    [InlineData("items/abc123")]      // neither int nor alpha
    [InlineData("items/4.5")]
    [InlineData("archive/1999")]      // outside range(2000,2099)
    [InlineData("archive/2024/may")]  // month is not an int
    [InlineData("reports/xml")]       // the regex allows csv and json only
    public async Task A_path_that_satisfies_no_functions_constraints_gives_404_and_invokes_nothing(string path)
    {
        int before = fixture.Host.Invocations.Count;

        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, fixture.Host.Invocations.Count);
    }
}
