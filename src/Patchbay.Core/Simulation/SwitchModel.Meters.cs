// METER_MOD semantics (spec 1.3.5, 5.7 and 7.3.4.4) as OVS userspace accepts them: exactly one of KBPS/PKTPS,
// drop bands only. Rate limiting is modelled over whole seconds of the model clock: within one second a
// meter admits rate (+ burst_size with OFPMF_BURST) packets or kilobits, and drops the rest, which is
// what "at most N packet-ins per second per port" needs to be checked against.
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Core.Simulation;

/// <summary>A meter and its counters: packets seen, bytes seen, packets its band dropped.</summary>
public sealed record MeterEntry(uint MeterId, MeterFlags Flags, IReadOnlyList<MeterBand> Bands, ulong PacketCount, ulong ByteCount, ulong DroppedCount)
{
    public bool Equals(MeterEntry? other) =>
        other is not null && MeterId == other.MeterId && Flags == other.Flags && Bands.SequenceEqual(other.Bands)
        && PacketCount == other.PacketCount && ByteCount == other.ByteCount && DroppedCount == other.DroppedCount;

    public override int GetHashCode() => HashCode.Combine(MeterId, Flags, PacketCount, DroppedCount);
}

public sealed partial class SwitchModel
{
    private readonly SortedDictionary<uint, MeterState> _meters = [];

    public IReadOnlyList<MeterEntry> DumpMeters() => [.. _meters.Values.Select(m => m.Snapshot())];

    public IReadOnlyList<FlowRemoved> Apply(MeterMod meterMod) => ApplyMeterMod(meterMod);

    private List<FlowRemoved> ApplyMeterMod(MeterMod meterMod)
    {
        ArgumentNullException.ThrowIfNull(meterMod);
        switch (meterMod.Command)
        {
            case MeterModCommand.Add:
                ValidateMeter(meterMod);
                if (_meters.ContainsKey(meterMod.MeterId))
                {
                    throw new SwitchModelException(OfpErrorType.MeterModFailed, SwitchErrorCodes.MeterModExists, $"meter {meterMod.MeterId} exists");
                }

                _meters[meterMod.MeterId] = new MeterState(meterMod);
                return [];
            case MeterModCommand.Modify:
                ValidateMeter(meterMod);
                if (!_meters.TryGetValue(meterMod.MeterId, out MeterState? meter))
                {
                    throw new SwitchModelException(OfpErrorType.MeterModFailed, SwitchErrorCodes.MeterModUnknownMeter, $"meter {meterMod.MeterId} does not exist");
                }

                meter.Config = meterMod;
                return [];
            case MeterModCommand.Delete:
                return DeleteMeters(meterMod.MeterId);
            default:
                throw new SwitchModelException(OfpErrorType.MeterModFailed, SwitchErrorCodes.MeterModBadCommand, $"meter-mod command {(ushort)meterMod.Command}");
        }
    }

    // Deleting a meter removes the flows that use it (spec 1.3.5, 7.3.4.4), with their FLOW_REMOVED notices.
    private List<FlowRemoved> DeleteMeters(uint meterId)
    {
        List<uint> deleted = meterId == OfpMeterId.All ? [.. _meters.Keys] : _meters.ContainsKey(meterId) ? [meterId] : [];
        var notices = new List<FlowRemoved>();
        foreach (uint id in deleted)
        {
            _meters.Remove(id);
            foreach (List<InstalledFlow> table in _tables.Values)
            {
                for (int i = table.Count - 1; i >= 0; i--)
                {
                    if (table[i].Instructions.Any(x => x is MeterInstruction m && m.MeterId == id))
                    {
                        AddNotice(notices, table[i], FlowRemovedReason.Delete);
                        table.RemoveAt(i);
                    }
                }
            }
        }

        return notices;
    }

    private static void ValidateMeter(MeterMod meterMod)
    {
        if (meterMod.MeterId == 0 || meterMod.MeterId > OfpMeterId.Max)
        {
            throw new SwitchModelException(OfpErrorType.MeterModFailed, SwitchErrorCodes.MeterModInvalidMeter, $"meter id {meterMod.MeterId}: the model has only regular meters 1..0x{OfpMeterId.Max:x}");
        }

        bool kbps = (meterMod.Flags & MeterFlags.Kbps) != 0;
        bool pktps = (meterMod.Flags & MeterFlags.Pktps) != 0;
        if (kbps == pktps)
        {
            throw new SwitchModelException(OfpErrorType.MeterModFailed, SwitchErrorCodes.MeterModBadFlags, $"meter flags {meterMod.Flags}: exactly one of KBPS and PKTPS");
        }

        if (meterMod.Bands.Count == 0 || meterMod.Bands.Any(b => b is not MeterBandDrop || b.Rate == 0))
        {
            throw new SwitchModelException(OfpErrorType.MeterModFailed, SwitchErrorCodes.MeterModBadBand, "the model takes one or more drop bands with a non-zero rate");
        }
    }

    private sealed class MeterState(MeterMod config)
    {
        private long _window = -1;
        private ulong _admitted;

        public MeterMod Config { get; set; } = config;

        public ulong PacketCount { get; private set; }

        public ulong ByteCount { get; private set; }

        public ulong DroppedCount { get; private set; }

        /// <summary>Counts the packet and says whether the lowest-rate band lets it through in this second.</summary>
        public bool Admit(int bytes, TimeSpan now)
        {
            PacketCount++;
            ByteCount += (ulong)bytes;
            long window = (long)Math.Floor(now.TotalSeconds);
            if (window != _window)
            {
                _window = window;
                _admitted = 0;
            }

            bool pktps = (Config.Flags & MeterFlags.Pktps) != 0;
            bool burst = (Config.Flags & MeterFlags.Burst) != 0;
            MeterBand band = Config.Bands.MinBy(b => b.Rate)!;
            ulong allowance = band.Rate + (burst ? band.BurstSize : 0UL);
            ulong cost = pktps ? 1UL : (ulong)bytes * 8;
            ulong limit = pktps ? allowance : allowance * 1000;
            if (_admitted + cost > limit)
            {
                DroppedCount++;
                return false;
            }

            _admitted += cost;
            return true;
        }

        public MeterEntry Snapshot() => new(Config.MeterId, Config.Flags, Config.Bands, PacketCount, ByteCount, DroppedCount);
    }
}
