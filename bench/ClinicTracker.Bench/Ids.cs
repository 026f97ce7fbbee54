using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Reflection;

namespace ClinicTracker.Bench;

/// <summary>
/// Deterministic version-7 ids for generated records: the factories draw <c>Guid.CreateVersion7()</c> from the clock and
/// the system's randomness; the generator replaces each id, right after the factory made the record and before anything
/// refers to it, by one with the record's own instant and bits from the patient's seeded generator.
/// </summary>
public static class Ids
{
    private static readonly ConcurrentDictionary<Type, Delegate> Setters = new();

    /// <summary>RFC 9562 version 7: 48 bits of Unix milliseconds, the version, then random bits with the variant.</summary>
    public static Guid V7(DateTime atUtc, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = (long)(atUtc - DateTime.UnixEpoch).TotalMilliseconds;
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, ms);
        time[2..].CopyTo(bytes);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Sets the entity's <c>Id</c> (a private setter: entities are made only by their factories).</summary>
    public static void Set<T>(T entity, Guid id)
        where T : class =>
        ((Action<T, Guid>)Setters.GetOrAdd(typeof(T), type =>
            type.GetProperty("Id", BindingFlags.Public | BindingFlags.Instance)!.GetSetMethod(nonPublic: true)!
                .CreateDelegate(typeof(Action<T, Guid>))))(entity, id);
}
