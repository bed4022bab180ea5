// struct ofp_port (spec 1.3.5, 7.2.1): port_no u32, pad[4], hw_addr[6], pad[2], name[16], config u32,
// state u32, curr u32, advertised u32, supported u32, peer u32, curr_speed u32, max_speed u32 = 64 bytes.
// Shared by PORT_STATUS and the PORT_DESC multipart reply.
using System.Net.NetworkInformation;
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_port_config: administrative settings of a port.</summary>
[Flags]
public enum OfpPortConfig : uint
{
    None = 0,
    PortDown = 1 << 0,
    NoRecv = 1 << 2,
    NoFwd = 1 << 5,
    NoPacketIn = 1 << 6,
}

/// <summary>enum ofp_port_state: what the switch observes about a port.</summary>
[Flags]
public enum OfpPortState : uint
{
    None = 0,
    LinkDown = 1 << 0,
    Blocked = 1 << 1,
    Live = 1 << 2,
}

/// <summary>enum ofp_port_features: link rates and media.</summary>
[Flags]
public enum OfpPortFeatures : uint
{
    None = 0,
    Rate10MbHd = 1 << 0,
    Rate10MbFd = 1 << 1,
    Rate100MbHd = 1 << 2,
    Rate100MbFd = 1 << 3,
    Rate1GbHd = 1 << 4,
    Rate1GbFd = 1 << 5,
    Rate10GbFd = 1 << 6,
    Rate40GbFd = 1 << 7,
    Rate100GbFd = 1 << 8,
    Rate1TbFd = 1 << 9,
    Other = 1 << 10,
    Copper = 1 << 11,
    Fiber = 1 << 12,
    Autoneg = 1 << 13,
    Pause = 1 << 14,
    PauseAsym = 1 << 15,
}

public sealed record PortDescription(
    uint PortNo,
    PhysicalAddress HwAddr,
    string Name,
    OfpPortConfig Config,
    OfpPortState State,
    OfpPortFeatures Curr,
    OfpPortFeatures Advertised,
    OfpPortFeatures Supported,
    OfpPortFeatures Peer,
    uint CurrSpeed,
    uint MaxSpeed)
{
    public const int Size = 64;

    /// <summary>OFP_MAX_PORT_NAME_LEN: the name field, terminating NUL included.</summary>
    public const int NameSize = 16;

    public const int HwAddrSize = 6;

    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        writer.U32(PortNo);
        writer.Pad(4);
        WriteHwAddr(ref writer, HwAddr);
        writer.Pad(2);
        WriteName(ref writer, Name);
        writer.U32((uint)Config);
        writer.U32((uint)State);
        writer.U32((uint)Curr);
        writer.U32((uint)Advertised);
        writer.U32((uint)Supported);
        writer.U32((uint)Peer);
        writer.U32(CurrSpeed);
        writer.U32(MaxSpeed);
        Declared.Check(Size, writer.Position - start, "ofp_port");
    }

    public static PortDescription Read(ref WireReader reader)
    {
        if (reader.Remaining < Size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.Truncated, $"ofp_port needs {Size} bytes, {reader.Remaining} left");
        }

        uint portNo = reader.U32();
        reader.Pad(4);
        var hwAddr = new PhysicalAddress(reader.BytesArray(HwAddrSize));
        reader.Pad(2);
        string name = ReadName(ref reader);
        return new PortDescription(
            portNo,
            hwAddr,
            name,
            (OfpPortConfig)reader.U32(),
            (OfpPortState)reader.U32(),
            (OfpPortFeatures)reader.U32(),
            (OfpPortFeatures)reader.U32(),
            (OfpPortFeatures)reader.U32(),
            (OfpPortFeatures)reader.U32(),
            reader.U32(),
            reader.U32());
    }

    /// <summary>Writes a 6-byte Ethernet address (ofp_port.hw_addr, ofp_port_mod.hw_addr).</summary>
    internal static void WriteHwAddr(ref WireWriter writer, PhysicalAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length != HwAddrSize)
        {
            throw new InvalidOperationException($"hw_addr must be {HwAddrSize} bytes, {address} is {bytes.Length}");
        }

        writer.Bytes(bytes);
    }

    // OVS sends port names as UTF-8 (os-ken's vectors carry Japanese names), so ASCII would not round-trip.
    private static string ReadName(ref WireReader reader)
    {
        ReadOnlySpan<byte> raw = reader.Bytes(NameSize);
        int nul = raw.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? raw : raw[..nul]);
    }

    // Like WireWriter.FixedString (and OVS itself), a name too long for the field is cut to leave the
    // terminating NUL; the cut falls between characters so the result stays valid UTF-8.
    private static void WriteName(ref WireWriter writer, string name)
    {
        Span<byte> field = writer.Reserve(NameSize);
        field.Clear();
        ReadOnlySpan<char> chars = name;
        while (Encoding.UTF8.GetByteCount(chars) > NameSize - 1)
        {
            chars = chars[..^(chars.Length > 1 && char.IsLowSurrogate(chars[^1]) ? 2 : 1)];
        }

        Encoding.UTF8.GetBytes(chars, field);
    }
}
