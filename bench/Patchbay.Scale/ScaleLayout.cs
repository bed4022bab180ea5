// What the scale benchmark provisions, as a pure function of its parameters: tenants with their networks,
// hosts, endpoints spread so that every network spans many hosts, policy groups and rules per tenant, the
// conversations it opens (always between two endpoints of one network on different hosts, never the same
// pair twice) and the probe pair a deny rule separates.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Patchbay.Scale;

public sealed record ScaleParameters
{
    public int Hosts { get; init; } = 1000;

    public int EndpointsPerHost { get; init; } = 100;

    public int Tenants { get; init; } = 50;

    public int NetworksPerTenant { get; init; } = 2;

    public int Rules { get; init; } = 140_000;

    public int GroupsPerTenant { get; init; } = 20;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Hosts, 3, nameof(Hosts));
        ArgumentOutOfRangeException.ThrowIfLessThan(EndpointsPerHost, 1, nameof(EndpointsPerHost));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(EndpointsPerHost, 60_000, nameof(EndpointsPerHost));
        ArgumentOutOfRangeException.ThrowIfLessThan(Tenants, 1, nameof(Tenants));
        ArgumentOutOfRangeException.ThrowIfLessThan(NetworksPerTenant, 1, nameof(NetworksPerTenant));
        ArgumentOutOfRangeException.ThrowIfLessThan(Rules, 0, nameof(Rules));
        ArgumentOutOfRangeException.ThrowIfLessThan(GroupsPerTenant, 2, nameof(GroupsPerTenant));
    }
}

public sealed class ScaleLayout
{
    /// <summary>Policy documents stay under the API's 64 KiB body limit with room to spare.</summary>
    public const int MaxDocumentBytes = 60_000;

    private static readonly string[] Tiers = ["web", "app", "db"];

    public ScaleLayout(ScaleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        Networks = parameters.Tenants * parameters.NetworksPerTenant;
        Endpoints = parameters.Hosts * parameters.EndpointsPerHost;

        // Endpoint (h, i) is in network (h * E + i) mod N, so host h + PartnerOffset holds, in slot i, an
        // endpoint of the same network: the partner of every conversation.
        PartnerOffset = Networks / (int)BigGcd(parameters.EndpointsPerHost, Networks);
        if (PartnerOffset * 2 >= parameters.Hosts)
        {
            throw new ArgumentException($"{parameters.Hosts} hosts are too few for {Networks} networks of {parameters.EndpointsPerHost} endpoints per host: a network must span more than {PartnerOffset * 2} hosts");
        }

        int perNetwork = (Endpoints + Networks - 1) / Networks;
        SubnetPrefix = 30;
        while ((1 << (32 - SubnetPrefix)) - 3 < perNetwork)
        {
            SubnetPrefix--;
        }

        if ((long)Networks << (32 - SubnetPrefix) > 1 << 24)
        {
            throw new ArgumentException($"{Networks} networks of {perNetwork} endpoints do not fit in 10.0.0.0/8");
        }
    }

    public ScaleParameters Parameters { get; }

    public int Networks { get; }

    public int Endpoints { get; }

    public int PartnerOffset { get; }

    public int SubnetPrefix { get; }

    /// <summary>Conversations that can be opened without repeating a pair: one from every endpoint.</summary>
    public int MaxConversations => Endpoints;

    public static string TenantName(int tenant) => $"scale-t{tenant}";

    public static string HostName(int host) => $"scale-h{host}";

    public static string EndpointName(int host, int slot) => $"scale-h{host}-e{slot}";

    public string NetworkName(int network) => $"scale-t{TenantOf(network)}-n{network % Parameters.NetworksPerTenant}";

    public int TenantOf(int network) => network / Parameters.NetworksPerTenant;

    public int NetworkOf(int host, int slot) => (int)((((long)host * Parameters.EndpointsPerHost) + slot) % Networks);

    public string Subnet(int network)
    {
        uint baseAddress = 0x0a00_0000u + ((uint)network << (32 - SubnetPrefix));
        return $"{baseAddress >> 24}.{(baseAddress >> 16) & 255}.{(baseAddress >> 8) & 255}.{baseAddress & 255}/{SubnetPrefix}";
    }

    /// <summary>The endpoint's labels: an app (one of the tenant's groups), a tier, and the probe's role for the two probe endpoints.</summary>
    public Dictionary<string, string> Labels(int host, int slot)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app"] = $"svc{((host * 7) + slot) % Parameters.GroupsPerTenant}",
            ["tier"] = Tiers[host % Tiers.Length],
        };
        (int Host, int Slot) source = ProbeSource;
        (int Host, int Slot) destination = ProbeDestination;
        if ((host, slot) == source)
        {
            labels["scale-probe"] = "src";
        }
        else if ((host, slot) == destination)
        {
            labels["scale-probe"] = "dst";
        }

        return labels;
    }

    /// <summary>The k-th conversation: from (h, i) to (h + offset, i), offset growing by one partner step per round.</summary>
    public ((int Host, int Slot) Source, (int Host, int Slot) Destination) Conversation(int k)
    {
        int hosts = Parameters.Hosts;
        int host = k % hosts;
        int slot = k / hosts % Parameters.EndpointsPerHost;
        return ((host, slot), ((host + PartnerOffset) % hosts, slot));
    }

    /// <summary>The probe pair: two hosts apart, in the last slot, so no conversation of the steps is between them.</summary>
    public (int Host, int Slot) ProbeSource => (0, Parameters.EndpointsPerHost - 1);

    public (int Host, int Slot) ProbeDestination => (2 * PartnerOffset, Parameters.EndpointsPerHost - 1);

    public string ProbeTenant => TenantName(TenantOf(NetworkOf(ProbeSource.Host, ProbeSource.Slot)));

    /// <summary>
    /// The policy as documents, each under <see cref="MaxDocumentBytes"/>: first every tenant's groups (so the rules
    /// that name them can be applied in any order), then the rules. Rules per tenant are spread over its app groups,
    /// each with a realistic peer (another app group, a tier group, a network, a CIDR) and TCP ports; one in ten denies.
    /// The probe's deny rule (any protocol, priority 0) is one of the rules.
    /// </summary>
    public (IReadOnlyList<string> Groups, IReadOnlyList<string> Rules) PolicyDocuments()
    {
        var groups = new DocumentBatcher("groups");
        var rules = new DocumentBatcher("rules");
        int tenants = Parameters.Tenants;
        int groupCount = Parameters.GroupsPerTenant;
        int rulesLeft = Parameters.Rules;
        for (int t = 0; t < tenants; t++)
        {
            string tenant = TenantName(t);
            for (int g = 0; g < groupCount; g++)
            {
                groups.Add(w => Group(w, $"{tenant}-app{g}", tenant, "app", $"svc{g}"));
            }

            foreach (string tier in Tiers)
            {
                groups.Add(w => Group(w, $"{tenant}-{tier}", tenant, "tier", tier));
            }

            if (tenant == ProbeTenant)
            {
                groups.Add(w => Group(w, $"{tenant}-probe-src", tenant, "scale-probe", "src"));
                groups.Add(w => Group(w, $"{tenant}-probe-dst", tenant, "scale-probe", "dst"));
                if (rulesLeft > 0)
                {
                    rulesLeft--;
                    rules.Add(w => Rule(w, $"{tenant}-probe-deny", tenant, $"{tenant}-probe-src", "egress", p => Peer(p, "group", $"{tenant}-probe-dst"), "any", null, "deny", 0));
                }
            }

            int mine = rulesLeft / (tenants - t);
            rulesLeft -= mine;
            for (int j = 0; j < mine; j++)
            {
                int rule = j;
                string appliesTo = $"{tenant}-app{rule % groupCount}";
                string direction = rule % 2 == 0 ? "ingress" : "egress";
                int network = (t * Parameters.NetworksPerTenant) + (rule % Parameters.NetworksPerTenant);
                Action<Utf8JsonWriter> peer = (rule / 2 % 4) switch
                {
                    0 => p => Peer(p, "group", $"{tenant}-app{(rule + 1 + (rule / groupCount)) % groupCount}"),
                    1 => p => Peer(p, "group", $"{tenant}-{Tiers[rule % Tiers.Length]}"),
                    2 => p => Peer(p, "network", NetworkName(network)),
                    _ => p => Peer(p, "cidr", Subnet(network)),
                };
                int port = 1024 + (rule % 50_000);
                string action = rule % 10 == 9 ? "deny" : "allow";
                rules.Add(w => Rule(w, $"{tenant}-r{rule}", tenant, appliesTo, direction, peer, "tcp", port, action, 100 + (rule % 60_000)));
            }
        }

        return (groups.Finish(), rules.Finish());
    }

    private static void Group(Utf8JsonWriter w, string name, string tenant, string key, string value)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("tenant", tenant);
        w.WriteStartObject("selector");
        w.WriteStartObject("matchLabels");
        w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Rule(Utf8JsonWriter w, string name, string tenant, string appliesTo, string direction, Action<Utf8JsonWriter> peer, string protocol, int? port, string action, int priority)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("tenant", tenant);
        w.WriteString("appliesTo", appliesTo);
        w.WriteString("direction", direction);
        w.WriteStartArray("peers");
        peer(w);
        w.WriteEndArray();
        w.WriteString("protocol", protocol);
        if (port is int p)
        {
            w.WriteStartArray("ports");
            w.WriteNumberValue(p);
            w.WriteEndArray();
        }

        w.WriteString("action", action);
        w.WriteNumber("priority", priority);
        w.WriteEndObject();
    }

    private static void Peer(Utf8JsonWriter w, string kind, string value)
    {
        w.WriteStartObject();
        w.WriteString(kind, value);
        w.WriteEndObject();
    }

    private static long BigGcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    /// <summary>Packs items into JSON documents {"KIND": [...]} of at most <see cref="MaxDocumentBytes"/> bytes.</summary>
    private sealed class DocumentBatcher(string kind)
    {
        private readonly List<string> _documents = [];
        private readonly List<byte[]> _items = [];
        private int _bytes;

        public void Add(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                write(writer);
            }

            byte[] item = buffer.ToArray();
            if (_bytes + item.Length + 1 > MaxDocumentBytes - kind.Length - 8)
            {
                Flush();
            }

            _items.Add(item);
            _bytes += item.Length + 1;
        }

        public List<string> Finish()
        {
            Flush();
            return _documents;
        }

        private void Flush()
        {
            if (_items.Count == 0)
            {
                return;
            }

            var text = new StringBuilder(_bytes + 16);
            text.Append(CultureInfo.InvariantCulture, $"{{\"{kind}\":[");
            for (int i = 0; i < _items.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(Encoding.UTF8.GetString(_items[i]));
            }

            text.Append("]}");
            _documents.Add(text.ToString());
            _items.Clear();
            _bytes = 0;
        }
    }
}
