using System.Net;
using System.Text.RegularExpressions;

namespace SessionsServerless.Tests.Demo;

/// <summary>Reads what a user sees on the demo page.</summary>
internal sealed partial class LoginPageReader(string html)
{
    public string Html { get; } = html;

    public string? Message => Text("message");

    public string? Error => Text("error");

    public string? FailedLoginAttempts => Text("failed-login-attempts");

    public string? LogoutButton => Text("logout-button", "button");

    public bool ShowsLoginForm => Html.Contains("id=\"login-button\"", StringComparison.Ordinal);

    private string? Text(string id, string element = "p")
    {
        var match = Regex.Match(Html, $"<{element} id=\"{id}\"[^>]*>(.*?)</{element}>", RegexOptions.Singleline);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }
}
