using Microsoft.AspNetCore.Http;

namespace SessionsServerless.Tests.Middleware;

public sealed class SessionCookieWriterTests
{
    [Theory]
    [InlineData(CookieSecurePolicy.SameAsRequest, true, true)]
    [InlineData(CookieSecurePolicy.SameAsRequest, false, false)]
    [InlineData(CookieSecurePolicy.Always, false, true)]
    [InlineData(CookieSecurePolicy.None, true, false)]
    public void The_cookie_is_Secure_on_HTTPS_requests_by_default(CookieSecurePolicy policy, bool https, bool expectSecure)
    {
        var writer = new SessionCookieWriter(new SessionCookieOptions { SecurePolicy = policy });
        var context = new DefaultHttpContext();
        context.Request.Scheme = https ? "https" : "http";

        writer.Write(context, "value");
        writer.Clear(context);

        var headers = context.Response.Headers.SetCookie.ToArray();
        Assert.Equal(2, headers.Length);
        Assert.All(headers, header => Assert.Equal(expectSecure, header!.EndsWith("; secure", StringComparison.Ordinal)));
    }

    [Fact]
    public void SameSite_Unspecified_omits_the_attribute()
    {
        var writer = new SessionCookieWriter(new SessionCookieOptions { SameSite = SameSiteMode.Unspecified, HttpOnly = false });
        var context = new DefaultHttpContext();

        writer.Write(context, "value");

        Assert.Equal("session=value; path=/", context.Response.Headers.SetCookie.ToString());
    }

    [Theory]
    [InlineData("session=abc", "abc")]
    [InlineData("other=1; session=abc; third=3", "abc")]
    [InlineData("sessionx=no;session=abc", "abc")]
    [InlineData("x=1;   session=abc  ", "abc")]
    [InlineData("session=\"abc\"", "abc")]
    [InlineData("session=first; session=second", "first")]
    [InlineData("other=session=abc", "")]
    [InlineData("session=", "")]
    [InlineData("", "")]
    public void Reads_the_first_session_cookie_from_the_raw_header(string header, string expected)
    {
        var writer = new SessionCookieWriter(new SessionCookieOptions());
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = header;

        Assert.Equal(expected, writer.Read(context.Request).ToString());
    }

    [Fact]
    public void Reads_the_session_cookie_from_any_of_several_Cookie_headers()
    {
        var writer = new SessionCookieWriter(new SessionCookieOptions { Name = "__Host-s" });
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = new Microsoft.Extensions.Primitives.StringValues(["a=1", "__Host-s=tok"]);

        Assert.Equal("tok", writer.Read(context.Request).ToString());
    }
}
