using System.Globalization;
using Azure.Data.Tables;

namespace SessionsServerless.Stores.AzureTables;

/// <summary>
/// How a session maps to a table entity: PartitionKey the first two hexadecimal characters of the key (256 partitions,
/// so load spreads), RowKey the key, the session JSON in <c>Data</c> (continued in <c>Data1</c>, <c>Data2</c>, … when it
/// is longer than one property holds) and the expiry in <c>ExpiresAt</c> (Edm.DateTime; absent for a session that does
/// not expire).
/// </summary>
internal static class SessionEntity
{
    public const string DataProperty = "Data";
    public const string ExpiresAtProperty = "ExpiresAt";

    /// <summary>
    /// A random token per write (32 hexadecimal characters, inside the size budget's 1 KiB margin): an add or replace the SDK sent
    /// again after a lost reply finds its own token and is recognised as itself.
    /// </summary>
    public const string WriteTokenProperty = "WriteToken";

    /// <summary>The most UTF-16 code units one string property holds: 64 KiB.</summary>
    public const int MaxPropertyLength = 32 * 1024;

    /// <summary>
    /// The longest session JSON an entity holds, in UTF-16 code units. By the service's published size formula an entity
    /// is 4 bytes, plus 2 per character of PartitionKey and RowKey, plus for each property 8 bytes, 2 per character of its
    /// name and its value (8 for a date, 4 plus 2 per character for a string). Keys (2 + 64 characters, 136 bytes),
    /// <c>ExpiresAt</c> (34 bytes) and sixteen data properties (<c>Data</c>, <c>Data1</c> … <c>Data15</c>: 362 bytes of
    /// overhead) leave 1,047,020 bytes for the JSON inside a budget of 1 MiB less 1 KiB, kept as a margin against the
    /// service's own accounting.
    /// </summary>
    public const int MaxDataLength = 523_510;

    private const int PartitionKeyLength = 2;
    private const int KeyLength = 64;

    /// <summary>Whether <paramref name="key"/> is what the core passes: 64 hexadecimal characters.</summary>
    public static bool IsValidKey(string key) => key.Length == KeyLength && key.All(char.IsAsciiHexDigit);

    public static string PartitionKeyOf(string key) => key[..PartitionKeyLength];

    /// <summary>The entity for a session; the caller has checked the key and the data's length.</summary>
    public static TableEntity Create(string key, StoredSession session)
    {
        var entity = new TableEntity(PartitionKeyOf(key), key);
        string data = session.Data;
        int start = 0;
        for (int part = 0; part == 0 || start < data.Length; part++)
        {
            int length = Math.Min(MaxPropertyLength, data.Length - start);
            if (start + length < data.Length && char.IsHighSurrogate(data[start + length - 1]))
            {
                // Never split a surrogate pair: each property must stay valid UTF-16.
                length--;
            }

            entity[DataPropertyName(part)] = data.Substring(start, length);
            start += length;
        }

        if (session.ExpiresAt is { } expiresAt)
        {
            entity[ExpiresAtProperty] = expiresAt.ToUniversalTime();
        }

        entity[WriteTokenProperty] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        return entity;
    }

    /// <summary>
    /// Reads a session back. <see langword="false"/> when the entity is not one this store wrote (no <c>Data</c>, or an
    /// <c>ExpiresAt</c> that is not a date).
    /// </summary>
    public static bool TryRead(TableEntity entity, out string data, out DateTimeOffset? expiresAt)
    {
        data = string.Empty;
        expiresAt = null;
        if (!entity.TryGetValue(DataProperty, out object? first) || first is not string firstPart)
        {
            return false;
        }

        if (entity.TryGetValue(ExpiresAtProperty, out object? expiry))
        {
            if (expiry is not DateTimeOffset value)
            {
                return false;
            }

            expiresAt = value;
        }

        if (!entity.ContainsKey(DataPropertyName(1)))
        {
            data = firstPart;
            return true;
        }

        var builder = new System.Text.StringBuilder(firstPart);
        for (int part = 1; entity.TryGetValue(DataPropertyName(part), out object? next); part++)
        {
            if (next is not string nextPart)
            {
                return false;
            }

            builder.Append(nextPart);
        }

        data = builder.ToString();
        return true;
    }

    /// <summary>Whether the entity's expiry has passed at <paramref name="now"/>.</summary>
    public static bool IsExpired(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } expires && now >= expires;

    private static string DataPropertyName(int part) =>
        part == 0 ? DataProperty : DataProperty + part.ToString(CultureInfo.InvariantCulture);
}
