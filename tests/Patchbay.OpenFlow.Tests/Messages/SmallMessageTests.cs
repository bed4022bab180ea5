// The fixed-size controller-to-switch messages: switch config, experimenter, table mod, port mod, role,
// and asynchronous-message configuration. Each: exact size, os-ken vector, round trip, wrong length.
using System.Net.NetworkInformation;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;

namespace Patchbay.OpenFlow.Tests.Messages;

public class SmallMessageTests
{
    public static TheoryData<OfpMessage, int> FixedSizeMessages() => new()
    {
        { new GetConfigRequest(), OfpConstants.HeaderSize },
        { new GetConfigReply(ConfigFlags.FragNormal, 128), GetConfigReply.Size },
        { new SetConfig(ConfigFlags.FragReasm, 0xffff), SetConfig.Size },
        { new ExperimenterMessage(0x2320, 1, ReadOnlyMemory<byte>.Empty), ExperimenterMessage.Size },
        { new TableMod(OfpTableId.All, 3), TableMod.Size },
        { new PortMod(1, PhysicalAddress.Parse("00-11-00-00-11-11"), OfpPortConfig.PortDown, OfpPortConfig.PortDown, OfpPortFeatures.None), PortMod.Size },
        { new RoleRequest(ControllerRole.Master, 1), RoleRequest.Size },
        { new RoleReply(ControllerRole.Slave, 2), RoleReply.Size },
        { new GetAsyncRequest(), OfpConstants.HeaderSize },
        { new GetAsyncReply(new AsyncConfig(1, 2, 3, 4, 5, 6)), GetAsyncReply.Size },
        { new SetAsync(new AsyncConfig(7, 0, 7, 0, 15, 0)), SetAsync.Size },
    };

    [Theory]
    [MemberData(nameof(FixedSizeMessages))]
    public void Encode_FixedSizeMessage_WritesExactlyItsSize(OfpMessage message, int size)
    {
        Assert.Equal(size, message.ToBytes().Length);
    }

    [Theory]
    [MemberData(nameof(FixedSizeMessages))]
    public void RoundTrip_FixedSizeMessage_EqualsOriginal(OfpMessage message, int size)
    {
        OfpMessage withXid = message with { Xid = 0xdeadbeef };

        OfpMessage decoded = OfpMessageReader.Decode(withXid.ToBytes());

        Assert.Equal(withXid, decoded);
        Assert.Equal(size, decoded.Length);
    }

    [Fact]
    public void SizeConstants_MatchOsKen()
    {
        Assert.Equal(12, GetConfigReply.Size);
        Assert.Equal(12, SetConfig.Size);
        Assert.Equal(16, ExperimenterMessage.Size);
        Assert.Equal(16, TableMod.Size);
        Assert.Equal(40, PortMod.Size);
        Assert.Equal(24, RoleRequest.Size);
        Assert.Equal(24, RoleReply.Size);
        Assert.Equal(32, GetAsyncReply.Size);
        Assert.Equal(32, SetAsync.Size);
    }

    [Theory]
    [InlineData("4-7-ofp_set_config.packet")]
    [InlineData("libofproto-OFP13-set_config.packet")]
    public void SetConfig_Vectors_MissSendLenAndFlags(string vector)
    {
        SetConfig message = MessageKit.Vector<SetConfig>(vector);

        Assert.Equal(ConfigFlags.FragNormal, message.Flags);
        Assert.Equal(128, message.MissSendLen);
    }

    [Theory]
    [InlineData("4-9-ofp_get_config_reply.packet")]
    [InlineData("libofproto-OFP13-get_config_reply.packet")]
    public void GetConfigReply_Vectors_MissSendLen(string vector)
    {
        GetConfigReply message = MessageKit.Vector<GetConfigReply>(vector);

        Assert.Equal(128, message.MissSendLen);
    }

    [Fact]
    public void GetConfigRequest_Vector_Decodes()
    {
        MessageKit.Vector<GetConfigRequest>("4-8-ofp_get_config_request.packet");
    }

    [Fact]
    public void Experimenter_OsKenVector_FieldsMatchJson()
    {
        ExperimenterMessage message = MessageKit.Vector<ExperimenterMessage>("4-16-ofp_experimenter.packet");

        Assert.Equal(98765432u, message.Experimenter);
        Assert.Equal(123456789u, message.ExpType);
        Assert.Equal("nazo"u8.ToArray(), message.Data.ToArray());
    }

    [Fact]
    public void Experimenter_RoundTripWithData_EqualsOriginal()
    {
        MessageKit.RoundTrip(new ExperimenterMessage(0x4f4e4600, 7, new byte[] { 1, 2, 3 }) { Xid = 4 });
    }

    [Fact]
    public void Experimenter_ShorterThan16_ThrowsBadLength()
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector("4-16-ofp_experimenter.packet")[..12]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void TableMod_Vector_AllTables()
    {
        TableMod message = MessageKit.Vector<TableMod>("4-23-ofp_table_mod.packet");

        Assert.Equal(OfpTableId.All, message.TableId);
        Assert.Equal(0u, message.Config);
        MessageKit.Vector<TableMod>("libofproto-OFP13-table_mod.packet");
    }

    [Fact]
    public void PortMod_OsKenVector_FieldsMatchJson()
    {
        PortMod message = MessageKit.Vector<PortMod>("4-22-ofp_port_mod.packet");

        Assert.Equal(1u, message.PortNo);
        Assert.Equal(PhysicalAddress.Parse("00-11-00-00-11-11"), message.HwAddr);
        Assert.Equal(OfpPortConfig.None, message.Config);
        Assert.Equal(OfpPortConfig.None, message.Mask);
        Assert.Equal(OfpPortFeatures.Fiber, message.Advertise);
    }

    [Fact]
    public void PortMod_OvsVector_FieldsMatchJson()
    {
        PortMod message = MessageKit.Vector<PortMod>("libofproto-OFP13-port_mod.packet");

        Assert.Equal(PhysicalAddress.Parse("aa-bb-cc-99-88-77"), message.HwAddr);
        Assert.Equal(OfpPortConfig.PortDown, message.Config);
        Assert.Equal(OfpPortConfig.PortDown, message.Mask);
        Assert.Equal((OfpPortFeatures)10248, message.Advertise);
    }

    [Fact]
    public void RoleRequest_OsKenVector_FieldsMatchJson()
    {
        RoleRequest message = MessageKit.Vector<RoleRequest>("4-19-ofp_role_request.packet");

        Assert.Equal(ControllerRole.Master, message.Role);
        Assert.Equal(17294086455919964160ul, message.GenerationId);
    }

    [Fact]
    public void RoleReply_OsKenVector_FieldsMatchJson()
    {
        RoleReply message = MessageKit.Vector<RoleReply>("4-20-ofp_role_reply.packet");

        Assert.Equal(ControllerRole.Slave, message.Role);
        Assert.Equal(17294086455919964160ul, message.GenerationId);
    }

    [Fact]
    public void GetAsyncRequest_Vector_Decodes()
    {
        MessageKit.Vector<GetAsyncRequest>("4-42-ofp_get_async_request.packet");
    }

    [Fact]
    public void GetAsyncReply_OsKenVector_MasksMatchJson()
    {
        GetAsyncReply message = MessageKit.Vector<GetAsyncReply>("4-43-ofp_get_async_reply.packet");

        Assert.Equal(new AsyncConfig(5, 1, 7, 3, 15, 3), message.Config);
    }

    [Fact]
    public void SetAsync_OsKenVector_MasksMatchJson()
    {
        SetAsync message = MessageKit.Vector<SetAsync>("4-44-ofp_set_async.packet");

        Assert.Equal(new AsyncConfig(5, 1, 7, 3, 15, 3), message.Config);
    }

    [Theory]
    [InlineData("4-7-ofp_set_config.packet")]
    [InlineData("4-9-ofp_get_config_reply.packet")]
    [InlineData("4-19-ofp_role_request.packet")]
    [InlineData("4-20-ofp_role_reply.packet")]
    [InlineData("4-22-ofp_port_mod.packet")]
    [InlineData("4-23-ofp_table_mod.packet")]
    [InlineData("4-35-ofp_queue_get_config_request.packet")]
    [InlineData("4-43-ofp_get_async_reply.packet")]
    [InlineData("4-44-ofp_set_async.packet")]
    [InlineData("4-8-ofp_get_config_request.packet")]
    [InlineData("4-42-ofp_get_async_request.packet")]
    public void Decode_FixedSizeMessageWithExtraBytes_ThrowsBadLength(string vector)
    {
        byte[] frame = Corruption.Reframed([.. Corruption.Vector(vector), 0, 0, 0, 0]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData("4-7-ofp_set_config.packet")]
    [InlineData("4-19-ofp_role_request.packet")]
    [InlineData("4-22-ofp_port_mod.packet")]
    [InlineData("4-43-ofp_get_async_reply.packet")]
    public void Decode_FixedSizeMessageCutShort_ThrowsBadLength(string vector)
    {
        byte[] frame = Corruption.Vector(vector);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(Corruption.Reframed(frame[..^4])));
    }
}
