// What a switch's flows say about a conversation the controller does not know (after a controller restart:
// conversations are live, not stored, but their flows outlive the controller in OVS). Every conversation flow
// names its network (egress: the metadata match; ingress: the write_metadata it restores) and its address
// pair (ipv4_src, ipv4_dst), so the endpoint pair can be read back, re-planned with the same id, and compared.
using System.Buffers.Binary;
using Patchbay.Core.Pipeline;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Multipart;
using Patchbay.Packets;

namespace Patchbay.Core.Planning;

/// <summary>One conversation cookie's flows on one switch and the pair they serve (<paramref name="Low"/> &lt; <paramref name="High"/>).</summary>
public sealed record InstalledConversation(ulong Cookie, uint NetworkId, Ipv4Address Low, Ipv4Address High, IReadOnlyList<FlowStats> Flows)
{
    public ulong Id => Cookies.IdOf(Cookie);

    /// <summary>
    /// Groups the conversation flows of <paramref name="installed"/> by cookie. A cookie whose flows do not name
    /// exactly one network and one unordered address pair lands in <paramref name="unreadable"/>.
    /// </summary>
    public static IReadOnlyList<InstalledConversation> ReadAll(IReadOnlyList<FlowStats> installed, out IReadOnlyList<ulong> unreadable)
    {
        ArgumentNullException.ThrowIfNull(installed);
        var read = new List<InstalledConversation>();
        var bad = new List<ulong>();
        foreach (IGrouping<ulong, FlowStats> group in installed.Where(f => Cookies.KindOf(f.Cookie) == FlowKind.Conversation).GroupBy(f => f.Cookie).OrderBy(g => g.Key))
        {
            if (TryRead(group.Key, [.. group], out InstalledConversation? conversation))
            {
                read.Add(conversation);
            }
            else
            {
                bad.Add(group.Key);
            }
        }

        unreadable = bad;
        return read;
    }

    private static bool TryRead(ulong cookie, IReadOnlyList<FlowStats> flows, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InstalledConversation? conversation)
    {
        conversation = null;
        uint? network = null;
        (Ipv4Address Low, Ipv4Address High)? pair = null;
        foreach (FlowStats flow in flows)
        {
            if (NetworkOf(flow) is not uint id || (network is not null && network != id)
                || Address(flow.Match, OxmBasicField.Ipv4Src) is not Ipv4Address source
                || Address(flow.Match, OxmBasicField.Ipv4Dst) is not Ipv4Address destination || source == destination)
            {
                return false;
            }

            (Ipv4Address, Ipv4Address) ordered = source < destination ? (source, destination) : (destination, source);
            if (pair is not null && pair != ordered)
            {
                return false;
            }

            network = id;
            pair = ordered;
        }

        if (network is not uint networkId || pair is not var (low, high))
        {
            return false;
        }

        conversation = new InstalledConversation(cookie, networkId, low, high, flows);
        return true;
    }

    // Egress flows match the network in metadata; ingress flows restore it with write_metadata.
    private static uint? NetworkOf(FlowStats flow)
    {
        if (flow.Match.Find(OxmBasicField.Metadata) is { Value.Length: 8 } metadata)
        {
            return (uint)(BinaryPrimitives.ReadUInt64BigEndian(metadata.Value.Span) & PatchbayPipeline.NetworkMetadataMask);
        }

        return flow.Instructions.OfType<WriteMetadataInstruction>().FirstOrDefault() is { } write
            ? (uint)(write.Metadata & PatchbayPipeline.NetworkMetadataMask)
            : null;
    }

    // One exact address: no mask, or an all-ones one.
    private static Ipv4Address? Address(OfpMatch match, OxmBasicField field) =>
        match.Find(field) is { Value.Length: 4 } found && (!found.HasMask || !found.Mask.Span.ContainsAnyExcept((byte)0xff))
            ? Ipv4Address.Read(found.Value.Span)
            : null;
}
