using System.Text.Json.Serialization;

namespace FunctionsDemo;

/// <summary>The body of <c>GET /read</c>.</summary>
/// <param name="Counter">The counter's value.</param>
public sealed record CounterView([property: JsonPropertyName("counter")] int Counter);
