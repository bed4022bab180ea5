// Model → API shapes (Core/Api/Resources.cs). Enum values travel in lower case ("connected", "active").
using System.Globalization;
using Patchbay.Controller.State;
using Patchbay.Core.Api;
using Patchbay.Core.Model;

namespace Patchbay.Controller.Api;

internal static class ApiViews
{
    public static HostView View(Host host) => new(
        host.Name,
        host.DatapathId.ToString("x16", CultureInfo.InvariantCulture),
        host.UplinkMac.ToString(),
        host.UplinkPort,
        host.UnderlayIp.ToString(),
        host.Segment,
        Lower(host.State.ToString()),
        host.LastSeen);

    public static TenantView View(Tenant tenant) => new(tenant.Name, tenant.Labels, tenant.Created);

    public static NetworkView View(Network network) => new(
        network.Name,
        network.Tenant,
        network.Subnet.ToString(),
        network.Gateway.ToString(),
        network.GatewayMac.ToString(),
        network.Labels);

    public static EndpointView View(Endpoint endpoint, Network network) => new(
        endpoint.Name,
        endpoint.Tenant,
        endpoint.Network,
        endpoint.Ip.ToString(),
        network.Subnet.PrefixLength,
        network.Gateway.ToString(),
        endpoint.Mac.ToString(),
        endpoint.Host,
        endpoint.OfPort,
        endpoint.Labels,
        endpoint.Created);

    public static ConversationView View(ConversationRecord record)
    {
        Conversation c = record.Conversation;
        return new ConversationView(
            c.Id.ToString(CultureInfo.InvariantCulture),
            $"0x{c.Cookie:x16}",
            c.Tenant,
            c.Source,
            c.Destination,
            Lower(c.Mode.ToString()),
            Lower(c.State.ToString()),
            c.Started,
            c.Ended,
            c.Packets,
            c.Bytes,
            c.DurationSeconds,
            record.PacketIns,
            record.Policy is { } policy ? Switching.FirstPacketHandler.ReasonOf(policy.Reason) : null,
            record.Policy?.Rule ?? record.Policy?.Connection,
            record.Policy is { Scope.IsIpPair: false } scoped ? scoped.Scope.ToString() : null);
    }

    public static DropView View(DropCount drop) => new(drop.Host, drop.Reason, drop.Packets, drop.Bytes);

    private static string Lower(string value) => value.ToLowerInvariant();
}
