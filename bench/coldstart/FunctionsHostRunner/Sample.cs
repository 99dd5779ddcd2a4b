namespace FunctionsHostRunner;

/// <summary>One cold start: process start to first response, and the process's peak resident memory then.</summary>
/// <param name="Milliseconds">From the app's process start to the first HTTP response through the host.</param>
/// <param name="PeakRssKib">The app process's VmHWM in KiB (-1 when it could not be read).</param>
internal readonly record struct Sample(double Milliseconds, long PeakRssKib);
