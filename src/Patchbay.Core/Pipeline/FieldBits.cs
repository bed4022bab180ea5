// A set of OXM basic field numbers (7 bits: 0 to 127, spec 1.3.5, 7.2.3.2) as a 128-bit bitmap, so that the
// pipeline check asks "may this table match this field?" and "was it matched already?" without a hash lookup.
using Patchbay.OpenFlow.Match;

namespace Patchbay.Core.Pipeline;

internal readonly record struct FieldBits(ulong Low, ulong High)
{
    /// <summary>Field numbers run from 0 to Size - 1.</summary>
    public const int Size = 128;

    public static FieldBits Of(IEnumerable<OxmBasicField> fields)
    {
        FieldBits bits = default;
        foreach (OxmBasicField field in fields)
        {
            bits = bits.With((byte)field);
        }

        return bits;
    }

    /// <summary>Whether <paramref name="field"/> is in the set; a number of 128 or more never is.</summary>
    public bool Contains(byte field) => field switch
    {
        < 64 => ((Low >> field) & 1) != 0,
        < 128 => ((High >> (field - 64)) & 1) != 0,
        _ => false,
    };

    public bool Overlaps(FieldBits other) => ((Low & other.Low) | (High & other.High)) != 0;

    public FieldBits With(byte field) => field switch
    {
        < 64 => this with { Low = Low | (1UL << field) },
        < 128 => this with { High = High | (1UL << (field - 64)) },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "a basic field number has 7 bits"),
    };
}
