using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace SessionsServerless.Lambda;

/// <summary>
/// The response headers. As Kestrel's do, they refuse at set time a name that is not a token and a value with a control
/// character (CR and LF above all, which would let a value forge another header), throwing the
/// <see cref="InvalidOperationException"/> Kestrel throws. Unlike Kestrel's defaults, non-ASCII values are accepted: the
/// Lambda response is JSON, which carries them.
/// </summary>
internal sealed class LambdaResponseHeaders : IHeaderDictionary
{
    private readonly HeaderDictionary _headers = new();

    public StringValues this[string key]
    {
        get => _headers[key];
        set
        {
            Validate(key, value);
            _headers[key] = value;
        }
    }

    public long? ContentLength
    {
        get => _headers.ContentLength;
        set => _headers.ContentLength = value;
    }

    public ICollection<string> Keys => _headers.Keys;

    public ICollection<StringValues> Values => _headers.Values;

    public int Count => _headers.Count;

    public bool IsReadOnly
    {
        get => _headers.IsReadOnly;
        set => _headers.IsReadOnly = value;
    }

    public void Add(string key, StringValues value)
    {
        Validate(key, value);
        _headers.Add(key, value);
    }

    public void Add(KeyValuePair<string, StringValues> item) => Add(item.Key, item.Value);

    public void Clear() => _headers.Clear();

    public bool Contains(KeyValuePair<string, StringValues> item) => _headers.Contains(item);

    public bool ContainsKey(string key) => _headers.ContainsKey(key);

    public void CopyTo(KeyValuePair<string, StringValues>[] array, int arrayIndex) => _headers.CopyTo(array, arrayIndex);

    public bool Remove(string key) => _headers.Remove(key);

    public bool Remove(KeyValuePair<string, StringValues> item) => _headers.Remove(item);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out StringValues value) => _headers.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, StringValues>> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Validate(string key, StringValues values)
    {
        if (_headers.IsReadOnly)
        {
            // HeaderDictionary says so itself; do not validate what will not be stored.
            return;
        }

        ArgumentNullException.ThrowIfNull(key);
        foreach (char c in key)
        {
            if (c <= 0x20 || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                throw Invalid(c);
            }
        }

        foreach (string? value in values)
        {
            if (value is null)
            {
                continue;
            }

            foreach (char c in value)
            {
                if ((c < 0x20 && c != '\t') || c == 0x7F)
                {
                    throw Invalid(c);
                }
            }
        }
    }

    private static InvalidOperationException Invalid(char c) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Invalid non-ASCII or control character in header: 0x{(ushort)c:X4}"));
}
