using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda;

/// <summary>
/// Formats records and writes each as one CloudWatch record. On the telemetry log descriptor a record is one frame
/// (Lambda's framing: a type word with the format and level, the length, a timestamp in microseconds, the bytes), so its
/// line breaks stay inside it. On standard output it is one line: JSON escapes its line breaks, and text has them turned
/// into carriage returns, which CloudWatch keeps inside the record. Records are written whole, one at a time.
/// </summary>
internal sealed class LambdaLogWriter : IDisposable
{
    /// <summary>Lambda takes records up to 256 KB; longer messages and stack traces are cut at this many characters.</summary>
    public const int MaxMessageLength = 64 * 1024;

    private const int MaxProperties = 32;
    private const uint FrameMagic = 0xA55A0000;

    private readonly LambdaLogSettings _settings;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public LambdaLogWriter(LambdaLogSettings settings) => _settings = settings;

    public void Write(in LambdaLogRecord record)
    {
        lock (_lock)
        {
            _buffer.ResetWrittenCount();
            if (_settings.Format == LambdaLogFormat.Json)
            {
                WriteJson(record);
            }
            else
            {
                WriteText(record, singleLine: !_settings.Framed);
            }

            try
            {
                if (_settings.Framed)
                {
                    Span<byte> header = stackalloc byte[16];
                    BinaryPrimitives.WriteUInt32BigEndian(header, FrameType(_settings.Format, record.Level));
                    BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)_buffer.WrittenCount);
                    BinaryPrimitives.WriteInt64BigEndian(header[8..], (record.Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
                    _settings.Output.Write(header);
                }
                else
                {
                    _buffer.Write("\n"u8);
                }

                _settings.Output.Write(_buffer.WrittenSpan);
                _settings.Output.Flush();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                // Logging must never take an invocation down, and Lambda has nowhere else to put the record.
            }
        }
    }

    public void Dispose() => _settings.Output.Dispose();

    /// <summary>The frame type Lambda's runtimes use: magic, log level (3 bits), timestamp present, format (JSON 0, text 1).</summary>
    internal static uint FrameType(LambdaLogFormat format, LogLevel level) =>
        FrameMagic | ((uint)FrameLevel(level) << 2) | (1u << 1) | (format == LambdaLogFormat.Text ? 1u : 0u);

    private static int FrameLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => 1,
        LogLevel.Debug => 2,
        LogLevel.Information => 3,
        LogLevel.Warning => 4,
        LogLevel.Error => 5,
        LogLevel.Critical => 6,
        _ => 0,
    };

    private void WriteJson(in LambdaLogRecord record)
    {
        using var json = new Utf8JsonWriter(_buffer);
        json.WriteStartObject();
        json.WriteString("timestamp", Timestamp(record.Timestamp));
        json.WriteString("level", record.Level.ToString());
        if (record.Invocation is { } invocation)
        {
            json.WriteString("requestId", invocation.RequestId);
            if (invocation.TraceId is { } traceId)
            {
                json.WriteString("traceId", traceId);
            }
        }

        json.WriteString("message", Cut(record.Message));
        json.WriteString("logger", record.Category);
        if (record.EventId.Id != 0)
        {
            json.WriteNumber("eventId", record.EventId.Id);
        }

        if (record.State is { } state)
        {
            int written = 0;
            foreach (var (key, value) in state)
            {
                if (written == MaxProperties || key == "{OriginalFormat}" || IsReserved(key))
                {
                    continue;
                }

                json.WritePropertyName(key);
                WriteValue(json, value);
                written++;
            }
        }

        if (record.Exception is { } exception)
        {
            json.WriteString("errorType", exception.GetType().FullName);
            json.WriteString("errorMessage", Cut(exception.Message));
            json.WriteStartArray("stackTrace");
            foreach (string line in Cut(exception.ToString()).Split('\n'))
            {
                json.WriteStringValue(line.TrimEnd('\r'));
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private void WriteText(in LambdaLogRecord record, bool singleLine)
    {
        var text = new StringBuilder(128);
        text.Append(Timestamp(record.Timestamp)).Append('\t')
            .Append(record.Invocation?.RequestId ?? "undefined").Append('\t')
            .Append(TextLevel(record.Level)).Append('\t')
            .Append(record.Category).Append(": ").Append(Cut(record.Message));
        if (record.Exception is { } exception)
        {
            text.Append('\n').Append(Cut(exception.ToString()));
        }

        string line = text.ToString();
        if (singleLine)
        {
            line = line.Replace("\r\n", "\r", StringComparison.Ordinal).Replace('\n', '\r');
        }

        int max = Encoding.UTF8.GetMaxByteCount(line.Length);
        int count = Encoding.UTF8.GetBytes(line, _buffer.GetSpan(max));
        _buffer.Advance(count);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case DateTimeOffset or DateTime:
                json.WriteStringValue(((IFormattable)value).ToString("O", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(Cut(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                break;
        }
    }

    private static bool IsReserved(string key) =>
        key is "timestamp" or "level" or "requestId" or "traceId" or "message" or "logger" or "eventId" or "errorType" or "errorMessage" or "stackTrace";

    private static string Cut(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";

    private static string Timestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string TextLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "NONE",
    };
}
