namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>A function the worker indexed and the local host loaded.</summary>
/// <param name="Name">The function's name (<c>[Function("Name")]</c>).</param>
/// <param name="FunctionId">The id the worker gave it; invocations name it.</param>
/// <param name="TriggerType">The trigger binding's type as the metadata spells it, e.g. <c>httpTrigger</c>, <c>timerTrigger</c>.</param>
/// <param name="TriggerBindingName">The trigger parameter's binding name (e.g. <c>request</c>, <c>timer</c>).</param>
/// <param name="Route">
/// For an HTTP trigger, the route template the front door matches, without the route prefix (the function's name when
/// it declares none); <see langword="null"/> otherwise.
/// </param>
/// <param name="Methods">For an HTTP trigger, the methods it accepts (upper case; empty = every method).</param>
public sealed record WorkerFunction(
    string Name,
    string FunctionId,
    string TriggerType,
    string TriggerBindingName,
    string? Route,
    IReadOnlyList<string> Methods)
{
    /// <summary>Whether the function has an HTTP trigger (the front door serves it).</summary>
    public bool IsHttp => TriggerType.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase);
}
