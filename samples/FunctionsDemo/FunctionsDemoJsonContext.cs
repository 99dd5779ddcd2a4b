using System.Text.Json.Serialization;

namespace FunctionsDemo;

/// <summary>JSON metadata for the demo's responses.</summary>
[JsonSerializable(typeof(CounterView))]
internal sealed partial class FunctionsDemoJsonContext : JsonSerializerContext;
