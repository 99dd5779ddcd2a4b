using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>A stream the Lambda logger writes to in place of standard output, read back line by line.</summary>
internal sealed class LogCapture : Stream
{
    private readonly MemoryStream _bytes = new();

    /// <summary>Settings that drop every record (tests that do not read logs).</summary>
    public static LambdaLogSettings Quiet => new() { Output = Null };

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Everything written so far, as UTF-8 text.</summary>
    public string Text
    {
        get
        {
            lock (_bytes)
            {
                return Encoding.UTF8.GetString(_bytes.ToArray());
            }
        }
    }

    /// <summary>The lines written so far (each must end with a line feed).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            string text = Text;
            Assert.True(text.Length == 0 || text.EndsWith('\n'), "A record was not ended with a line feed.");
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    /// <summary>Every line parsed as a JSON object; fails when one is not.</summary>
    public IReadOnlyList<JsonObject> JsonRecords => Lines.Select(line => JsonNode.Parse(line)!.AsObject()).ToList();

    /// <summary>Lambda telemetry frames (type, length, timestamp in microseconds, payload) read from <paramref name="bytes"/>.</summary>
    public static IReadOnlyList<(uint Type, long Microseconds, string Payload)> Frames(byte[] bytes)
    {
        var frames = new List<(uint, long, string)>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            Assert.True(bytes.Length - offset >= 16, "A frame header was cut short.");
            uint type = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 4)));
            long microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(offset + 8));
            frames.Add((type, microseconds, Encoding.UTF8.GetString(bytes, offset + 16, length)));
            offset += 16 + length;
        }

        return frames;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_bytes)
        {
            _bytes.Write(buffer, offset, count);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_bytes)
        {
            _bytes.Write(buffer);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // The provider disposes its output when the app stops; the test still reads what was written.
    }
}
