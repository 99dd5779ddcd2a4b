namespace SessionsServerless.Lambda;

/// <summary>Where the Lambda Runtime API listens: the <c>AWS_LAMBDA_RUNTIME_API</c> value (<c>host:port</c>).</summary>
internal static class RuntimeApiEndpoint
{
    /// <summary>The base address of the API version this runtime speaks, e.g. <c>http://127.0.0.1:9001/2018-06-01/</c>.</summary>
    /// <exception cref="InvalidOperationException">The value is not a <c>host:port</c> address.</exception>
    public static Uri Parse(string runtimeApi)
    {
        string value = runtimeApi.Trim();
        if (value.Contains('/', StringComparison.Ordinal)
            || !Uri.TryCreate("http://" + value + "/2018-06-01/", UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException(
                $"AWS_LAMBDA_RUNTIME_API is '{value}', which is not a host:port address. Lambda sets it; unset it to run the app on Kestrel.");
        }

        return uri;
    }
}
