namespace SessionsApp;

#if (host == "lambda")
/// <summary>Runs the app: on AWS Lambda when Lambda starts it, on Kestrel under <c>dotnet run</c>.</summary>
#else
/// <summary>Runs the app: as the custom handler of an Azure Functions app when the Functions host starts it, on Kestrel under <c>dotnet run</c>.</summary>
#endif
public static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">Command-line arguments, e.g. <c>--urls</c> or <c>--Sessions:Store=memory</c>.</param>
    public static void Main(string[] args) => App.Build(args).Run();
}
