// How a switch reads an ofp_match: normalized (fields in OXM order, value & mask, an all-ones mask dropped),
// checked for prerequisites (ipv4_src needs eth_type=0x0800, tcp_dst needs ip_proto=6, ...), matched against
// a packet, compared loosely (non-strict modify/delete, stats requests) and checked for overlap.
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Core.Simulation;

internal static class MatchRules
{
    /// <summary>The canonical form a switch stores and reports; throws the switch's error for an invalid match.</summary>
    public static OfpMatch Normalize(OfpMatch match)
    {
        var fields = new List<OxmField>(match.Fields.Count);
        foreach (OxmField field in match.Fields)
        {
            if (!field.IsBasic || OxmBasicFields.ValueSize(field.BasicField) == 0)
            {
                throw new SwitchModelException(OfpErrorType.BadMatch, SwitchErrorCodes.BadMatchField, $"match field {field} is not an OpenFlow 1.3 basic field the model knows");
            }

            int size = OxmBasicFields.ValueSize(field.BasicField);
            if (field.Value.Length != size || (field.HasMask && field.Mask.Length != size))
            {
                throw new SwitchModelException(OfpErrorType.BadMatch, SwitchErrorCodes.BadMatchField, $"match field {field} needs a {size}-byte value (and mask)");
            }

            if (fields.Exists(f => f.Field == field.Field))
            {
                throw new SwitchModelException(OfpErrorType.BadMatch, SwitchErrorCodes.BadMatchDuplicateField, $"match field {OxmBasicFields.Name(field.BasicField)} appears twice");
            }

            fields.Add(Canonical(field));
        }

        fields.Sort((a, b) => a.Field.CompareTo(b.Field));
        var normalized = new OfpMatch(fields);
        foreach (OxmField field in fields)
        {
            if (!PrerequisitesMet(normalized, field.BasicField))
            {
                throw new SwitchModelException(OfpErrorType.BadMatch, SwitchErrorCodes.BadMatchPrerequisite, $"match field {OxmBasicFields.Name(field.BasicField)} lacks its prerequisite in {match}");
            }
        }

        return normalized;
    }

    /// <summary>True when the match constrains the fields <paramref name="field"/> depends on, as a switch requires.</summary>
    public static bool PrerequisitesMet(OfpMatch match, OxmBasicField field) => field switch
    {
        OxmBasicField.Ipv4Src or OxmBasicField.Ipv4Dst => HasEthType(match, EtherType.Ipv4),
        OxmBasicField.Ipv6Src or OxmBasicField.Ipv6Dst or OxmBasicField.Ipv6Flabel or OxmBasicField.Ipv6Exthdr => HasEthType(match, EtherType.Ipv6),
        OxmBasicField.IpProto or OxmBasicField.IpDscp or OxmBasicField.IpEcn => HasEthType(match, EtherType.Ipv4) || HasEthType(match, EtherType.Ipv6),
        OxmBasicField.TcpSrc or OxmBasicField.TcpDst => HasByte(match, OxmBasicField.IpProto, IpProtocol.Tcp),
        OxmBasicField.UdpSrc or OxmBasicField.UdpDst => HasByte(match, OxmBasicField.IpProto, IpProtocol.Udp),
        OxmBasicField.Icmpv4Type or OxmBasicField.Icmpv4Code => HasEthType(match, EtherType.Ipv4) && HasByte(match, OxmBasicField.IpProto, IpProtocol.Icmp),
        OxmBasicField.Icmpv6Type or OxmBasicField.Icmpv6Code => HasEthType(match, EtherType.Ipv6) && HasByte(match, OxmBasicField.IpProto, IpProtocol.Icmpv6),
        OxmBasicField.ArpOp or OxmBasicField.ArpSpa or OxmBasicField.ArpTpa or OxmBasicField.ArpSha or OxmBasicField.ArpTha => HasEthType(match, EtherType.Arp),
        OxmBasicField.VlanPcp => match.Find(OxmBasicField.VlanVid) is { } vid && (vid.Value.Span[0] & 0x10) != 0,
        _ => true,
    };

    /// <summary>Every field of the (normalized) match is present in the packet with the matched value under the mask.</summary>
    public static bool Matches(OfpMatch match, PacketFields packet)
    {
        foreach (OxmField field in match.Fields)
        {
            if (!packet.TryGet(field.BasicField, out ReadOnlySpan<byte> value))
            {
                return false;
            }

            ReadOnlySpan<byte> expected = field.Value.Span;
            ReadOnlySpan<byte> mask = field.Mask.Span;
            for (int i = 0; i < expected.Length; i++)
            {
                byte m = field.HasMask ? mask[i] : (byte)0xff;
                if ((value[i] & m) != expected[i])
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Non-strict comparison (spec 6.4): <paramref name="specific"/> is selected by <paramref name="general"/> when
    /// every field <paramref name="general"/> constrains is constrained at least as tightly, to the same value.
    /// </summary>
    public static bool Covers(OfpMatch general, OfpMatch specific)
    {
        foreach (OxmField g in general.Fields)
        {
            if (specific.Find(g.BasicField) is not { } s)
            {
                return false;
            }

            for (int i = 0; i < g.Value.Length; i++)
            {
                byte gm = MaskByte(g, i);
                byte sm = MaskByte(s, i);
                if ((gm & sm) != gm || (s.Value.Span[i] & gm) != g.Value.Span[i])
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Some packet could match both: every field both constrain agrees on the bits both masks cover.</summary>
    public static bool Overlaps(OfpMatch a, OfpMatch b)
    {
        foreach (OxmField fa in a.Fields)
        {
            if (b.Find(fa.BasicField) is not { } fb)
            {
                continue;
            }

            for (int i = 0; i < fa.Value.Length; i++)
            {
                byte common = (byte)(MaskByte(fa, i) & MaskByte(fb, i));
                if ((fa.Value.Span[i] & common) != (fb.Value.Span[i] & common))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static OxmField Canonical(OxmField field)
    {
        if (!field.HasMask)
        {
            return field;
        }

        ReadOnlySpan<byte> mask = field.Mask.Span;
        if (!mask.ContainsAnyExcept((byte)0xff))
        {
            return new OxmField(field.BasicField, field.Value.ToArray());
        }

        byte[] value = field.Value.ToArray();
        for (int i = 0; i < value.Length; i++)
        {
            value[i] &= mask[i];
        }

        return new OxmField(field.BasicField, value, mask.ToArray());
    }

    private static byte MaskByte(OxmField field, int index) => field.HasMask ? field.Mask.Span[index] : (byte)0xff;

    private static bool HasEthType(OfpMatch match, ushort etherType) =>
        match.Find(OxmBasicField.EthType) is { HasMask: false } f && f.Value.Span[0] == etherType >> 8 && f.Value.Span[1] == (byte)etherType;

    private static bool HasByte(OfpMatch match, OxmBasicField field, byte value) =>
        match.Find(field) is { HasMask: false } f && f.Value.Span[0] == value;
}
