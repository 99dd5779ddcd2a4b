using System.Text;
using System.Text.Encodings.Web;

namespace LoginDemo;

/// <summary>The demo's one page. Everything shown is HTML-encoded.</summary>
/// <param name="Message">A flash message, or <see langword="null"/>.</param>
/// <param name="Error">A flash error, or <see langword="null"/>.</param>
/// <param name="FailedLoginAttempts">Failed attempts since the last login.</param>
/// <param name="Email">The logged-in user, or <see langword="null"/> when logged out.</param>
public sealed record LoginPage(string? Message, string? Error, int FailedLoginAttempts, string? Email)
{
    /// <summary>Renders the page.</summary>
    /// <returns>The HTML.</returns>
    public string Render()
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("""
            <!DOCTYPE html>
            <html lang="en">
              <head>
                <meta charset="UTF-8">
                <meta name="viewport" content="width=device-width, initial-scale=1.0">
                <title>SessionsServerless Session Demo</title>
              </head>
              <body>
                <h1>Session demo</h1>

            """);
        if (!string.IsNullOrEmpty(Message))
        {
            page.Append("    <p id=\"message\">").Append(html.Encode(Message)).Append("</p>\n");
        }

        if (!string.IsNullOrEmpty(Error))
        {
            page.Append("    <p id=\"error\">").Append(html.Encode(Error)).Append("</p>\n");
        }

        if (FailedLoginAttempts > 0)
        {
            page.Append("    <p id=\"failed-login-attempts\">Failed login attempts: ").Append(FailedLoginAttempts).Append("</p>\n");
        }

        if (Email is not null)
        {
            page.Append("""
                    <form id="logout" action="/logout" method="post">
                      <button id="logout-button" name="logout" type="submit">Log out 
                """.TrimEnd('\n'))
                .Append(html.Encode(Email))
                .Append("</button>\n    </form>\n");
        }
        else
        {
            page.Append("""
                    <form id="login" action="/login" method="post">
                      <p><input id="email" name="email" type="text" placeholder="you@email.com"></p>
                      <p><input id="password" name="password" type="password" placeholder="password"></p>
                      <button id="login-button" name="login" type="submit">Log in</button>
                    </form>

                """);
        }

        page.Append("  </body>\n</html>\n");
        return page.ToString();
    }
}
