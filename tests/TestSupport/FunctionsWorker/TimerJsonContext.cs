using System.Text.Json.Serialization;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>Source-generated JSON for the TimerInfo input (property names as the host writes them: PascalCase).</summary>
[JsonSerializable(typeof(TimerInfoJson))]
internal sealed partial class TimerJsonContext : JsonSerializerContext;
