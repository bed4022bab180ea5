// os-ken projections of actions, instructions, buckets, meter bands and queue properties.
using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Tests.Golden;

public static partial class OsKenJson
{
    public static JsonObject Action(OfpAction action)
    {
        var body = new JsonObject { ["type"] = (ushort)action.ActionType, ["len"] = action.Length };
        switch (action)
        {
            case OutputAction a:
                body["port"] = a.Port;
                body["max_len"] = a.MaxLen;
                return Wrap("OFPActionOutput", body);
            case CopyTtlOutAction:
                return Wrap("OFPActionCopyTtlOut", body);
            case CopyTtlInAction:
                return Wrap("OFPActionCopyTtlIn", body);
            case SetMplsTtlAction a:
                body["mpls_ttl"] = a.MplsTtl;
                return Wrap("OFPActionSetMplsTtl", body);
            case DecMplsTtlAction:
                return Wrap("OFPActionDecMplsTtl", body);
            case PushVlanAction a:
                body["ethertype"] = a.EtherType;
                return Wrap("OFPActionPushVlan", body);
            case PopVlanAction:
                return Wrap("OFPActionPopVlan", body);
            case PushMplsAction a:
                body["ethertype"] = a.EtherType;
                return Wrap("OFPActionPushMpls", body);
            case PopMplsAction a:
                body["ethertype"] = a.EtherType;
                return Wrap("OFPActionPopMpls", body);
            case SetQueueAction a:
                body["queue_id"] = a.QueueId;
                return Wrap("OFPActionSetQueue", body);
            case GroupAction a:
                body["group_id"] = a.GroupId;
                return Wrap("OFPActionGroup", body);
            case SetNwTtlAction a:
                body["nw_ttl"] = a.NwTtl;
                return Wrap("OFPActionSetNwTtl", body);
            case DecNwTtlAction:
                return Wrap("OFPActionDecNwTtl", body);
            case SetFieldAction a:
                body["field"] = Oxm(a.Field);
                return Wrap("OFPActionSetField", body);
            case PushPbbAction a:
                body["ethertype"] = a.EtherType;
                return Wrap("OFPActionPushPbb", body);
            case PopPbbAction:
                return Wrap("OFPActionPopPbb", body);
            case ExperimenterAction { Experimenter: ExperimenterAction.Nicira } a:
                // os-ken decodes each Nicira subtype (NXActionCT, NXActionLearn, ...); Patchbay keeps the body.
                body["experimenter"] = a.Experimenter;
                body["subtype"] = a.Data.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(a.Data.Span) : null;
                return Partial("NXAction", body);
            case ExperimenterAction a:
                body["experimenter"] = a.Experimenter;
                body["data"] = Base64(a.Data);
                return Wrap("OFPActionExperimenterUnknown", body);
            default:
                throw new NotSupportedException($"no os-ken projection for action {action.GetType().Name}");
        }
    }

    public static JsonObject Instruction(OfpInstruction instruction)
    {
        var body = new JsonObject { ["type"] = (ushort)instruction.InstructionType, ["len"] = instruction.Length };
        switch (instruction)
        {
            case GotoTableInstruction i:
                body["table_id"] = i.TableId;
                return Wrap("OFPInstructionGotoTable", body);
            case WriteMetadataInstruction i:
                body["metadata"] = i.Metadata;
                body["metadata_mask"] = i.MetadataMask;
                return Wrap("OFPInstructionWriteMetadata", body);
            case WriteActionsInstruction i:
                body["actions"] = Array(i.Actions, Action);
                return Wrap("OFPInstructionActions", body);
            case ApplyActionsInstruction i:
                body["actions"] = Array(i.Actions, Action);
                return Wrap("OFPInstructionActions", body);
            case ClearActionsInstruction:
                body["actions"] = new JsonArray();
                return Wrap("OFPInstructionActions", body);
            case MeterInstruction i:
                body["meter_id"] = i.MeterId;
                return Wrap("OFPInstructionMeter", body);
            case ExperimenterInstruction i:
                body["experimenter"] = i.Experimenter;
                return Partial("OFPInstruction", body);
            default:
                throw new NotSupportedException($"no os-ken projection for instruction {instruction.GetType().Name}");
        }
    }

    public static JsonObject Bucket(Bucket bucket) => Wrap("OFPBucket", new()
    {
        ["len"] = bucket.Length,
        ["weight"] = bucket.Weight,
        ["watch_port"] = bucket.WatchPort,
        ["watch_group"] = bucket.WatchGroup,
        ["actions"] = Array(bucket.Actions, Action),
    });

    public static JsonObject MeterBand(MeterBand band)
    {
        var body = new JsonObject
        {
            ["type"] = (ushort)band.BandType,
            ["len"] = band.Length,
            ["rate"] = band.Rate,
            ["burst_size"] = band.BurstSize,
        };
        switch (band)
        {
            case MeterBandDrop:
                return Wrap("OFPMeterBandDrop", body);
            case MeterBandDscpRemark b:
                body["prec_level"] = b.PrecLevel;
                return Wrap("OFPMeterBandDscpRemark", body);
            case MeterBandExperimenter b:
                body["experimenter"] = b.Experimenter;
                return Wrap("OFPMeterBandExperimenter", body);
            default:
                throw new NotSupportedException($"no os-ken projection for meter band {band.GetType().Name}");
        }
    }

    public static JsonObject QueueProperty(QueueProperty property)
    {
        var body = new JsonObject { ["property"] = (ushort)property.Property, ["len"] = property.Length };
        switch (property)
        {
            case MinRateQueueProperty p:
                body["rate"] = p.Rate;
                return Wrap("OFPQueuePropMinRate", body);
            case MaxRateQueueProperty p:
                body["rate"] = p.Rate;
                return Wrap("OFPQueuePropMaxRate", body);
            case ExperimenterQueueProperty p:
                body["experimenter"] = p.Experimenter;
                body["data"] = new JsonArray([.. p.Data.ToArray().Select(b => JsonValue.Create(b))]);
                return Wrap("OFPQueuePropExperimenter", body);
            default:
                throw new NotSupportedException($"no os-ken projection for queue property {property.GetType().Name}");
        }
    }
}
