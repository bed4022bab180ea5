// FsCheck generators of random valid OpenFlow 1.3 messages: matches over every basic OXM field,
// every action and instruction type, and the messages and multipart replies a controller handles.
using System.Buffers.Binary;
using System.Net.NetworkInformation;
using FsCheck;
using FsCheck.Fluent;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.OpenFlow.Tests.Properties;

public static class OfpGenerators
{
    // FsCheck's integer generators stay near zero for small sizes; wire fields need their whole range.
    public static Gen<byte> U8 { get; } = Gen.Choose(0, byte.MaxValue).Select(b => (byte)b);

    public static Gen<ushort> U16 { get; } = Bytes(2).Select(b => BinaryPrimitives.ReadUInt16BigEndian(b));

    public static Gen<uint> U32 { get; } = Bytes(4).Select(b => BinaryPrimitives.ReadUInt32BigEndian(b));

    public static Gen<ulong> U64 { get; } = Bytes(8).Select(b => BinaryPrimitives.ReadUInt64BigEndian(b));

    public static Gen<bool> Bool { get; } = Gen.Elements(true, false);

    private static readonly OxmBasicField[] BasicFields =
        [.. Enum.GetValues<OxmBasicField>().Where(f => OxmBasicFields.ValueSize(f) > 0)];

    public static Gen<byte[]> Bytes(int count) => Gen.ArrayOf(Gen.Choose(0, byte.MaxValue).Select(b => (byte)b), count);

    /// <summary>Between 0 and <paramref name="max"/> random bytes.</summary>
    public static Gen<byte[]> SomeBytes(int max) => Gen.Choose(0, max).SelectMany(Bytes);

    /// <summary>A multiple of 8 bytes, up to 8 * <paramref name="maxWords"/> (experimenter bodies are padded so).</summary>
    public static Gen<byte[]> PaddedBytes(int maxWords) => Gen.Choose(0, maxWords).SelectMany(words => Bytes(words * 8));

    public static Gen<OxmField> Oxm(bool allowMask) =>
        from field in Gen.Elements(BasicFields)
        let size = OxmBasicFields.ValueSize(field)
        from value in Bytes(size)
        from masked in allowMask && OxmBasicFields.IsMaskable(field) ? Bool : Gen.Constant(false)
        from mask in Bytes(size)
        select masked ? new OxmField(field, value, mask) : new OxmField(field, value);

    public static Gen<OfpMatch> Match { get; } = Gen.Choose(0, 6).SelectMany(n => Gen.ListOf(Oxm(allowMask: true), n)).Select(fields => new OfpMatch([.. fields]));

    public static Gen<OfpAction> Action { get; } = Gen.OneOf(
        from port in U32
        from maxLen in U16
        select (OfpAction)new OutputAction(port, maxLen),
        Gen.Elements<OfpAction>(new CopyTtlOutAction(), new CopyTtlInAction(), new DecMplsTtlAction(), new PopVlanAction(), new DecNwTtlAction(), new PopPbbAction()),
        U8.Select(ttl => (OfpAction)new SetMplsTtlAction(ttl)),
        U8.Select(ttl => (OfpAction)new SetNwTtlAction(ttl)),
        U16.Select(type => (OfpAction)new PushVlanAction(type)),
        U16.Select(type => (OfpAction)new PushMplsAction(type)),
        U16.Select(type => (OfpAction)new PopMplsAction(type)),
        U16.Select(type => (OfpAction)new PushPbbAction(type)),
        U32.Select(queue => (OfpAction)new SetQueueAction(queue)),
        U32.Select(group => (OfpAction)new GroupAction(group)),
        Oxm(allowMask: false).Select(field => (OfpAction)new SetFieldAction(field)),
        from experimenter in U32
        from data in PaddedBytes(3)
        select (OfpAction)new ExperimenterAction(experimenter, data));

    public static Gen<IReadOnlyList<OfpAction>> Actions { get; } =
        Gen.Choose(0, 5).SelectMany(n => Gen.ListOf(Action, n)).Select(list => (IReadOnlyList<OfpAction>)[.. list]);

    public static Gen<OfpInstruction> Instruction { get; } = Gen.OneOf(
        U8.Select(table => (OfpInstruction)new GotoTableInstruction(table)),
        from metadata in U64
        from mask in U64
        select (OfpInstruction)new WriteMetadataInstruction(metadata, mask),
        Actions.Select(actions => (OfpInstruction)new WriteActionsInstruction(actions)),
        Actions.Select(actions => (OfpInstruction)new ApplyActionsInstruction(actions)),
        Gen.Constant<OfpInstruction>(new ClearActionsInstruction()),
        U32.Select(meter => (OfpInstruction)new MeterInstruction(meter)),
        from experimenter in U32
        from data in PaddedBytes(2)
        select (OfpInstruction)new ExperimenterInstruction(experimenter, data));

    public static Gen<IReadOnlyList<OfpInstruction>> Instructions { get; } =
        Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(Instruction, n)).Select(list => (IReadOnlyList<OfpInstruction>)[.. list]);

    public static Gen<Hello> Hello { get; } =
        from xid in U32
        from versions in Gen.ArrayOf(Gen.Choose(1, 100).Select(v => (byte)v), 3)
        from withBitmap in Bool
        select new Hello(withBitmap ? [HelloElement.VersionBitmap(versions)] : []) { Xid = xid };

    public static Gen<EchoRequest> EchoRequest { get; } =
        from xid in U32
        from data in SomeBytes(64)
        select new EchoRequest(data) { Xid = xid };

    public static Gen<EchoReply> EchoReply { get; } =
        from xid in U32
        from data in SomeBytes(64)
        select new EchoReply(data) { Xid = xid };

    public static Gen<FeaturesReply> FeaturesReply { get; } =
        from xid in U32
        from dpid in U64
        from buffers in U32
        from tables in U8
        from aux in U8
        from capabilities in U32
        from reserved in U32
        select new FeaturesReply(dpid, buffers, tables, aux, (OfpCapabilities)capabilities, reserved) { Xid = xid };

    public static Gen<PacketIn> PacketIn { get; } =
        from xid in U32
        from buffer in U32
        from totalLen in U16
        from reason in Gen.Elements(PacketInReason.NoMatch, PacketInReason.Action, PacketInReason.InvalidTtl)
        from table in U8
        from cookie in U64
        from match in Match
        from data in SomeBytes(128)
        select new PacketIn(buffer, totalLen, reason, table, cookie, match, data) { Xid = xid };

    public static Gen<PacketOut> PacketOut { get; } =
        from xid in U32
        from buffer in U32
        from inPort in U32
        from actions in Actions
        from data in SomeBytes(128)
        select new PacketOut(buffer, inPort, actions, data) { Xid = xid };

    public static Gen<FlowMod> FlowMod { get; } =
        from xid in U32
        from cookie in U64
        from cookieMask in U64
        from table in U8
        from command in Gen.Elements(Enum.GetValues<FlowModCommand>())
        from timeouts in Gen.Two(U16)
        from priority in U16
        from buffer in U32
        from outPort in U32
        from outGroup in U32
        from flags in Gen.Choose(0, 31)
        from match in Match
        from instructions in Instructions
        select new FlowMod
        {
            Xid = xid,
            Cookie = cookie,
            CookieMask = cookieMask,
            TableId = table,
            Command = command,
            IdleTimeout = timeouts.Item1,
            HardTimeout = timeouts.Item2,
            Priority = priority,
            BufferId = buffer,
            OutPort = outPort,
            OutGroup = outGroup,
            Flags = (FlowModFlags)flags,
            Match = match,
            Instructions = instructions,
        };

    public static Gen<FlowRemoved> FlowRemoved { get; } =
        from xid in U32
        from cookie in U64
        from priority in U16
        from reason in Gen.Elements(Enum.GetValues<FlowRemovedReason>())
        from table in U8
        from duration in Gen.Two(U32)
        from timeouts in Gen.Two(U16)
        from counts in Gen.Two(U64)
        from match in Match
        select new FlowRemoved
        {
            Xid = xid,
            Cookie = cookie,
            Priority = priority,
            Reason = reason,
            TableId = table,
            DurationSec = duration.Item1,
            DurationNsec = duration.Item2,
            IdleTimeout = timeouts.Item1,
            HardTimeout = timeouts.Item2,
            PacketCount = counts.Item1,
            ByteCount = counts.Item2,
            Match = match,
        };

    /// <summary>ASCII letters and digits, at most <paramref name="maxLength"/> long (fixed-size NUL-padded fields).</summary>
    public static Gen<string> Name(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-_".ToCharArray()), n)).Select(chars => new string(chars));

    public static Gen<PortDescription> Port { get; } =
        from number in U32
        from mac in Bytes(6)
        from name in Name(15)
        from config in U32
        from state in U32
        from features in Gen.Four(U32)
        from speeds in Gen.Two(U32)
        select new PortDescription(
            number,
            new PhysicalAddress(mac),
            name,
            (OfpPortConfig)config,
            (OfpPortState)state,
            (OfpPortFeatures)features.Item1,
            (OfpPortFeatures)features.Item2,
            (OfpPortFeatures)features.Item3,
            (OfpPortFeatures)features.Item4,
            speeds.Item1,
            speeds.Item2);

    public static Gen<PortStatus> PortStatus { get; } =
        from xid in U32
        from reason in Gen.Elements(Enum.GetValues<PortReason>())
        from port in Port
        select new PortStatus(reason, port) { Xid = xid };

    public static Gen<FlowStatsReply> FlowStatsReply { get; } =
        from xid in U32
        from entries in Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(FlowStatsEntry, n))
        select new FlowStatsReply([.. entries]) { Xid = xid };

    public static Gen<PortStatsReply> PortStatsReply { get; } =
        from xid in U32
        from entries in Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(PortStatsEntry, n))
        select new PortStatsReply([.. entries]) { Xid = xid };

    public static Gen<TableStatsReply> TableStatsReply { get; } =
        from xid in U32
        from entries in Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(
            from table in U8
            from active in U32
            from counts in Gen.Two(U64)
            select new TableStats(table, active, counts.Item1, counts.Item2),
            n))
        select new TableStatsReply([.. entries]) { Xid = xid };

    public static Gen<DescReply> DescReply { get; } =
        from xid in U32
        from descriptions in Gen.Four(Name(255))
        from serial in Name(31)
        select new DescReply(descriptions.Item1, descriptions.Item2, descriptions.Item3, serial, descriptions.Item4) { Xid = xid };

    public static Gen<PortDescReply> PortDescReply { get; } =
        from xid in U32
        from ports in Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Port, n))
        select new PortDescReply([.. ports]) { Xid = xid };

    public static Gen<Bucket> Bucket { get; } =
        from weight in U16
        from watchPort in U32
        from watchGroup in U32
        from actions in Actions
        select new Bucket(weight, watchPort, watchGroup, actions);

    public static Gen<GroupMod> GroupMod { get; } =
        from xid in U32
        from command in Gen.Elements(Enum.GetValues<GroupModCommand>())
        from type in Gen.Elements(Enum.GetValues<GroupType>())
        from groupId in U32
        from buckets in Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Bucket, n))
        select new GroupMod(command, type, groupId, [.. buckets]) { Xid = xid };

    public static Gen<MeterBand> MeterBand { get; } = Gen.OneOf(
        from rate in U32
        from burst in U32
        select (MeterBand)new MeterBandDrop(rate, burst),
        from rate in U32
        from burst in U32
        from precLevel in U8
        select (MeterBand)new MeterBandDscpRemark(rate, burst, precLevel),
        from rate in U32
        from burst in U32
        from experimenter in U32
        from data in PaddedBytes(2)
        select (MeterBand)new MeterBandExperimenter(rate, burst, experimenter, data));

    public static Gen<MeterMod> MeterMod { get; } =
        from xid in U32
        from command in Gen.Elements(Enum.GetValues<MeterModCommand>())
        from flags in Gen.Choose(0, 15)
        from meter in U32
        from bands in Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(MeterBand, n))
        select new MeterMod(command, (MeterFlags)flags, meter, [.. bands]) { Xid = xid };

    public static Gen<FlowStatsRequest> FlowStatsRequest { get; } =
        from xid in U32
        from table in U8
        from outPort in U32
        from outGroup in U32
        from cookies in Gen.Two(U64)
        from match in Match
        select new FlowStatsRequest
        {
            Xid = xid,
            TableId = table,
            OutPort = outPort,
            OutGroup = outGroup,
            Cookie = cookies.Item1,
            CookieMask = cookies.Item2,
            Match = match,
        };

    public static Gen<GroupDescReply> GroupDescReply { get; } =
        from xid in U32
        from entries in Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(
            from type in Gen.Elements(Enum.GetValues<GroupType>())
            from groupId in U32
            from buckets in Gen.Choose(0, 2).SelectMany(k => Gen.ListOf(Bucket, k))
            select new GroupDescription(type, groupId, [.. buckets]),
            n))
        select new GroupDescReply([.. entries]) { Xid = xid };

    private static Gen<FlowStats> FlowStatsEntry =>
        from table in U8
        from duration in Gen.Two(U32)
        from priority in U16
        from timeouts in Gen.Two(U16)
        from flags in Gen.Choose(0, 31)
        from cookie in U64
        from counts in Gen.Two(U64)
        from match in Match
        from instructions in Instructions
        select new FlowStats
        {
            TableId = table,
            DurationSec = duration.Item1,
            DurationNsec = duration.Item2,
            Priority = priority,
            IdleTimeout = timeouts.Item1,
            HardTimeout = timeouts.Item2,
            Flags = (FlowModFlags)flags,
            Cookie = cookie,
            PacketCount = counts.Item1,
            ByteCount = counts.Item2,
            Match = match,
            Instructions = instructions,
        };

    private static Gen<PortStats> PortStatsEntry =>
        from port in U32
        from rx in Gen.Four(U64)
        from tx in Gen.Four(U64)
        from errors in Gen.Four(U64)
        from collisions in U64
        from duration in Gen.Two(U32)
        select new PortStats
        {
            PortNo = port,
            RxPackets = rx.Item1,
            RxBytes = rx.Item2,
            RxDropped = rx.Item3,
            RxErrors = rx.Item4,
            TxPackets = tx.Item1,
            TxBytes = tx.Item2,
            TxDropped = tx.Item3,
            TxErrors = tx.Item4,
            RxFrameErr = errors.Item1,
            RxOverErr = errors.Item2,
            RxCrcErr = errors.Item3,
            Collisions = collisions,
            DurationSec = duration.Item1,
            DurationNsec = duration.Item2,
        };
}
