// struct ofp_match (spec 1.3.5, 7.2.3.1): type u16 (OFPMT_OXM = 1), length u16 (excluding padding),
// OXM TLVs, then zero padding to a multiple of 8.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Match;

public sealed record OfpMatch(IReadOnlyList<OxmField> Fields)
{
    public const ushort OxmMatchType = 1;
    public const int HeaderSize = 4;

    public static OfpMatch Empty { get; } = new OfpMatch([]);

    /// <summary>ofp_match.length: header plus OXMs, without the trailing padding.</summary>
    public int Length
    {
        get
        {
            int length = HeaderSize;
            IReadOnlyList<OxmField> fields = Fields;
            // Arrays (what FlowPlanner builds) are walked directly: IReadOnlyList calls on an array go through interface dispatch (SZArrayHelper).
            if (fields is OxmField[] array)
            {
                foreach (OxmField oxm in array)
                {
                    length += oxm.Length;
                }

                return length;
            }

            int count = fields.Count;
            // Indexed rather than foreach: enumerating an IReadOnlyList boxes its enumerator, and encoding must not allocate.
            for (int i = 0; i < count; i++)
            {
                length += fields[i].Length;
            }

            return length;
        }
    }

    /// <summary>The first basic field of kind <paramref name="field"/>, or null when the match does not constrain it.</summary>
    public OxmField? Find(OxmBasicField field)
    {
        // Indexed: the packet-in path calls this per packet, and foreach over IReadOnlyList boxes its enumerator.
        for (int i = 0; i < Fields.Count; i++)
        {
            OxmField f = Fields[i];
            if (f.IsBasic && f.BasicField == field)
            {
                return f;
            }
        }

        return null;
    }

    // Records compare lists by reference; matches are compared by their fields, in order, as the switch sees them.
    public bool Equals(OfpMatch? other) =>
        other is not null && (ReferenceEquals(Fields, other.Fields) || Fields.SequenceEqual(other.Fields));

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (OxmField f in Fields)
        {
            hash.Add(f);
        }

        return hash.ToHashCode();
    }

    // Lists the fields rather than the list's type name, so a failing comparison says what differs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Fields = [").AppendJoin(", ", Fields).Append(']');
        return true;
    }

    /// <summary>Bytes the match occupies on the wire, padding included.</summary>
    public int PaddedLength => Declared.Align8(Length);

    /// <summary>Writes <see cref="PaddedLength"/> bytes; length is back-filled from the OXMs written, so no field is measured twice.</summary>
    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        writer.U16(OxmMatchType);
        int length = writer.ReserveLength();
        IReadOnlyList<OxmField> fields = Fields;
        if (fields is OxmField[] array)
        {
            foreach (OxmField field in array)
            {
                field.Write(ref writer);
            }
        }
        else
        {
            int count = fields.Count;
            for (int i = 0; i < count; i++)
            {
                fields[i].Write(ref writer);
            }
        }

        writer.PatchLength(length, start);
        writer.PadTo8(start);
    }

    /// <summary>Reads a match and its padding.</summary>
    public static OfpMatch Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMatchLength, $"ofp_match header needs 4 bytes, {reader.Remaining} left");
        }

        ushort type = reader.U16();
        ushort length = reader.U16();
        if (type != OxmMatchType)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMatchLength, $"ofp_match.type {type}; only OFPMT_OXM is 1.3");
        }

        int padded = Declared.Align8(length);
        if (length < HeaderSize || padded - HeaderSize > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMatchLength, $"ofp_match.length {length} with {reader.Remaining + HeaderSize} bytes left");
        }

        WireReader oxms = reader.Sub(length - HeaderSize, ProtocolErrorReason.BadOxmLength);
        var fields = new List<OxmField>();
        while (!oxms.End)
        {
            fields.Add(OxmField.Read(ref oxms));
        }

        reader.Pad(padded - length);
        return new OfpMatch(fields);
    }
}
