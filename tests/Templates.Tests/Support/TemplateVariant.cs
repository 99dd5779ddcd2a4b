namespace SessionsServerless.Templates.Tests.Support;

/// <summary>
/// One way to create a template: its short name, its option values and the name the project gets. The names differ in
/// shape (dotted, hyphenated) because a name becomes file paths, an assembly name and a namespace.
/// </summary>
/// <param name="Id">How tests name the variant.</param>
/// <param name="ShortName">The template's short name.</param>
/// <param name="Name">The <c>-n</c> name of the generated project.</param>
/// <param name="Store">The <c>--store</c> value.</param>
/// <param name="Aot">The <c>--aot</c> value (sessions-lambda only).</param>
/// <param name="Model">The <c>--model</c> value (sessions-functions only): <c>isolated</c> or <c>custom-handler</c>.</param>
public sealed record TemplateVariant(string Id, string ShortName, string Name, string Store, bool Aot, string? Model = null)
{
    public const string Isolated = "isolated";
    public const string CustomHandler = "custom-handler";

    public const string Lambda = "sessions-lambda";
    public const string Functions = "sessions-functions";

    /// <summary>Every template with every option value.</summary>
    public static IReadOnlyList<TemplateVariant> All { get; } =
    [
        new("lambda-cookie", Lambda, "CookieLambda", "cookie", Aot: false),
        new("lambda-cookie-aot", Lambda, "cookie-lambda-aot", "cookie", Aot: true),
        new("lambda-dynamodb", Lambda, "Contoso.DynamoLambda", "dynamodb", Aot: false),
        new("lambda-dynamodb-aot", Lambda, "DynamoLambdaAot", "dynamodb", Aot: true),
        new("functions-cookie", Functions, "CookieFunctions", "cookie", Aot: false, CustomHandler),
        new("functions-table", Functions, "contoso-table-functions", "table", Aot: false, CustomHandler),
        new("functions-isolated-cookie", Functions, "IsolatedCookie", "cookie", Aot: false, Isolated),
        new("functions-isolated-table", Functions, "contoso-isolated-table", "table", Aot: false, Isolated),
    ];

    /// <summary>The one variant published with Native AOT (through its Makefile, as <c>sam build</c> does).</summary>
    public static TemplateVariant NativeAotPublished => Get("lambda-dynamodb-aot");

    /// <summary>The JIT variant published for <c>linux-x64</c> as <c>sam build</c> publishes it (ReadyToRun by default).</summary>
    public static TemplateVariant ManagedPublished => Get("lambda-cookie");

    public bool IsLambda => ShortName == Lambda;

    /// <summary>A sessions-functions variant whose app is an ASP.NET Core app run as a custom handler.</summary>
    public bool IsCustomHandler => ShortName == Functions && Model == CustomHandler;

    /// <summary>A sessions-functions variant whose app is an isolated-worker app.</summary>
    public bool IsIsolated => ShortName == Functions && Model == Isolated;

    /// <summary>The template options, as given to <c>dotnet new</c>.</summary>
    public IReadOnlyList<string> Options => IsLambda ? ["--store", Store, "--aot", Aot ? "true" : "false"] : ["--store", Store, "--model", Model!];

    public static TemplateVariant Get(string id) => All.Single(v => v.Id == id);

    public static TheoryData<string> Ids(Func<TemplateVariant, bool> where) => new(All.Where(where).Select(v => v.Id));

    public override string ToString() => Id;
}
