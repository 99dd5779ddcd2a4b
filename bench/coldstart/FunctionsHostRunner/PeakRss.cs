using System.Globalization;

namespace FunctionsHostRunner;

/// <summary>A process's peak resident set size, from Linux's /proc/PID/status.</summary>
internal static class PeakRss
{
    /// <summary>VmHWM in KiB, or -1 when the process is gone or the system has no /proc.</summary>
    public static long Of(int processId)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
