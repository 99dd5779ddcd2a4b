namespace SessionsFunctionsApp;

/// <summary>Runs the app: as the custom handler of an Azure Functions app when the Functions host starts it, on Kestrel under <c>dotnet run</c>.</summary>
public static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">Command-line arguments, e.g. <c>--urls</c> or <c>--Sessions:Store=memory</c>.</param>
    public static void Main(string[] args) => App.Build(args).Run();
}
