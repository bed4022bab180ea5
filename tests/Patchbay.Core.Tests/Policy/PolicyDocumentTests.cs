// The policy document: the full example of docs/policy.md parses into the objects it describes, JSON
// reads the same, every error names the file, the line and the field, and apply is an upsert by name.
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Packets;

namespace Patchbay.Core.Tests.Policy;

public sealed class PolicyDocumentTests
{
    // Kept equal to the example in docs/policy.md.
    private const string Example = """
        groups:
          - name: web
            tenant: acme
            selector:
              matchLabels: {app: web}
          - name: api
            tenant: acme
            selector:
              matchLabels: {app: api}
              matchExpressions:
                - {key: tier, operator: NotIn, values: [canary]}
        rules:
          - name: api-from-web
            tenant: acme
            appliesTo: api
            direction: ingress
            peers:
              - group: web
              - cidr: 10.1.0.0/24
            protocol: tcp
            ports: [8080, "9000-9100"]
            action: allow
            priority: 100
          - name: web-no-ssh
            tenant: acme
            appliesTo: web
            direction: ingress
            peers: [{tenant: acme}]
            protocol: tcp
            ports: [22]
            action: deny
            priority: 10
        connections:
          - name: ops-to-db
            tenant: acme
            action: connect
            a: {endpoint: ops1}
            b: {group: api}
        """;

    [Fact]
    public void Parse_Example_ObjectsAsWritten()
    {
        PolicyDocument document = PolicyDocument.Parse(Example);

        Assert.Equal(["api", "web"], document.Policies.Groups.Select(g => g.Name));
        EndpointGroup api = document.Policies.Groups[0];
        Assert.Equal(new LabelSelector(new Dictionary<string, string> { ["app"] = "api" }, [new LabelRequirement("tier", SelectorOperator.NotIn, ["canary"])]), api.Selector);
        Assert.Equal(
            new PolicyRule("api-from-web", "acme", "api", RuleDirection.Ingress, [PolicyPeer.Group("web"), PolicyPeer.InCidr(Ipv4Subnet.Parse("10.1.0.0/24"))], PolicyProtocol.Tcp, [PortRange.Single(8080), new PortRange(9000, 9100)], PolicyAction.Allow, 100),
            document.Policies.Rules[0]);
        Assert.Equal(new PairwiseConnection("ops-to-db", "acme", ConnectionAction.Connect, ConnectionTarget.Endpoint("ops1"), ConnectionTarget.Group("api")), Assert.Single(document.Policies.Connections));
    }

    [Fact]
    public void Parse_Json_SameAsYaml()
    {
        const string json = """
            {"groups": [{"name": "web", "tenant": "acme", "selector": {"matchLabels": {"app": "web"}}}],
             "rules": [{"name": "r", "tenant": "acme", "appliesTo": "web", "direction": "egress",
                        "peers": [{"network": "blue"}], "protocol": "udp", "ports": [53], "action": "allow", "priority": 5}]}
            """;
        const string yaml = """
            groups:
              - {name: web, tenant: acme, selector: {matchLabels: {app: web}}}
            rules:
              - {name: r, tenant: acme, appliesTo: web, direction: egress, peers: [{network: blue}], protocol: udp, ports: [53], action: allow, priority: 5}
            """;

        Assert.True(PolicyDocument.Parse(json, "p.json").Policies.SameAs(PolicyDocument.Parse(yaml).Policies));
    }

    [Fact]
    public void Parse_TenantOmitted_DefaultTenant()
    {
        PolicyDocument document = PolicyDocument.Parse("groups:\n  - name: all\n");

        Assert.Equal(new EndpointGroup("all", Tenant.DefaultName, LabelSelector.All), Assert.Single(document.Policies.Groups));
    }

    public static TheoryData<string, string> Errors => new()
    {
        { Example.Replace("ports: [8080, \"9000-9100\"]", "ports: [8080, 70000]", StringComparison.Ordinal), "policy.yaml:21: rules[0].ports[1]: 70000 is not a port (1-65535)" },
        { Example.Replace("ports: [8080, \"9000-9100\"]", "ports: [\"9100-9000\"]", StringComparison.Ordinal), "policy.yaml:21: rules[0].ports[0]: 9100-9000 is not a port range (first <= last)" },
        { Example.Replace("priority: 10\n", "priority: high\n", StringComparison.Ordinal), "policy.yaml:32: rules[1].priority: high is not a priority (an integer 0-65535; lower wins)" },
        { Example.Replace("direction: ingress\n    peers:\n      - group: web", "direction: inbound\n    peers:\n      - group: web", StringComparison.Ordinal), "policy.yaml:16: rules[0].direction: 'inbound' is not one of ingress, egress" },
        { Example.Replace("      - cidr: 10.1.0.0/24", "      - cidr: 10.1.0.1/24", StringComparison.Ordinal), "policy.yaml:19: rules[0].peers[1].cidr: '10.1.0.1/24' has host bits set; did you mean 10.1.0.0/24?" },
        { Example.Replace("      - group: web\n", "      - group: webb\n", StringComparison.Ordinal), "policy.yaml:18: rules[0].peers[0].group: group 'webb' does not exist" },
        { Example.Replace("    protocol: tcp\n    ports: [22]", "    protocol: icmp\n    ports: [22]", StringComparison.Ordinal), "policy.yaml:30: rules[1].ports: ports need protocol tcp or udp, not icmp" },
        { Example.Replace("    priority: 100\n", "    priority: 100\n    prority: 3\n", StringComparison.Ordinal), "policy.yaml:24: rules[0].prority: unknown field 'prority' (expected one of name, tenant, appliesTo, direction, peers, protocol, ports, action, priority)" },
        { Example.Replace("  - name: web-no-ssh", "  - name: api-from-web", StringComparison.Ordinal), "policy.yaml:24: rules[1].name: rule 'api-from-web' is also rules[0]; names are unique per kind" },
        { Example.Replace("    b: {group: api}", "    b: {endpoint: ops1}", StringComparison.Ordinal), "policy.yaml:38: connections[0].b: endpoint ops1 is also side a; a connection joins two different things" },
        { Example.Replace("    a: {endpoint: ops1}\n", "", StringComparison.Ordinal), "policy.yaml:34: connections[0].a: missing (an endpoint or a group: {endpoint: NAME} or {group: NAME})" },
        { "- just a list", "policy.yaml:1: (document): expected one mapping with the lists groups, rules and connections" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_Invalid_ErrorNamesLineAndField(string text, string expected)
    {
        var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(text).ApplyTo(PolicySet.Empty));

        Assert.Contains(expected, error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_NotYaml_ErrorAtTheLineOfTheSyntaxError()
    {
        const string text = "groups:\n  - name: web\n    tenant: acme\n  selector: {app: web\nrules: []\n";

        var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(text));

        PolicyDocumentError only = Assert.Single(error.Errors);
        Assert.Equal((4, "(document)"), (only.Line, only.Path));
        Assert.StartsWith("not YAML: ", only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RulePeerInAnotherTenantsGroup_RefusedAsCrossTenant()
    {
        string text = Example.Replace("  - name: api\n    tenant: acme", "  - name: api\n    tenant: zeta", StringComparison.Ordinal)
            .Replace("    b: {group: api}", "    b: {group: web}", StringComparison.Ordinal);

        var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(text).ApplyTo(PolicySet.Empty));

        Assert.Equal(
            ["policy.yaml:15: rules[0].appliesTo: group 'api' belongs to tenant 'zeta', not 'acme'"],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ApplyTo_NetworkOfAnotherTenant_RefusedWithLineAndNothingChanged()
    {
        PolicyDocument document = PolicyDocument.Parse(Example.Replace("      - cidr: 10.1.0.0/24", "      - network: red", StringComparison.Ordinal));
        var model = new PolicyModelView(
            ["acme", "zeta"],
            [new Network(1, "red", "zeta", Ipv4Subnet.Parse("10.9.0.0/24"), Ipv4Address.Parse("10.9.0.1"))],
            []);

        var error = Assert.Throws<PolicyDocumentException>(() => document.ApplyTo(PolicySet.Empty, model));

        Assert.Equal(
            ["policy.yaml:19: rules[0].peers[1].network: network 'red' belongs to tenant 'zeta', not 'acme': no rule can allow traffic across tenants"],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ApplyTo_ConnectionToAnotherTenantsEndpoint_Refused()
    {
        PolicyDocument document = PolicyDocument.Parse(Example);
        Endpoint ops1 = PolicyLab.Endpoint(7, "zeta", "red") with { Name = "ops1" };

        var error = Assert.Throws<PolicyDocumentException>(() => document.ApplyTo(PolicySet.Empty, new PolicyModelView(["acme", "zeta"], [], [ops1])));

        Assert.Equal(
            ["policy.yaml:37: connections[0].a.endpoint: endpoint 'ops1' belongs to tenant 'zeta', not 'acme': no rule can allow traffic across tenants"],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ApplyTo_SameDocumentTwice_SameSet()
    {
        PolicyDocument document = PolicyDocument.Parse(Example);

        PolicySet once = document.ApplyTo(PolicySet.Empty);
        PolicySet twice = PolicyDocument.Parse(Example).ApplyTo(once);

        Assert.True(once.SameAs(twice));
        Assert.Equal(5, twice.Count);
    }

    [Fact]
    public void ApplyTo_UpsertByName_ReplacesNamedKeepsOthers()
    {
        PolicySet current = PolicyDocument.Parse(Example).ApplyTo(PolicySet.Empty);
        const string change = """
            rules:
              - {name: web-no-ssh, tenant: acme, appliesTo: web, direction: ingress, peers: [{tenant: acme}], protocol: tcp, ports: [2222], action: deny, priority: 10}
              - {name: web-out, tenant: acme, appliesTo: web, direction: egress, peers: [{group: api}], action: allow, priority: 1}
            """;

        PolicySet next = PolicyDocument.Parse(change).ApplyTo(current);

        Assert.Equal(["api-from-web", "web-no-ssh", "web-out"], next.Rules.Select(r => r.Name));
        Assert.Equal([PortRange.Single(2222)], next.Rules[1].Ports);
        Assert.Equal(current.Groups, next.Groups);
        Assert.Equal(current.Connections, next.Connections);
    }

    [Fact]
    public void ApplyTo_RuleNamingAGroupOnlyInTheCurrentSet_Accepted()
    {
        PolicySet current = PolicyDocument.Parse(Example).ApplyTo(PolicySet.Empty);
        const string change = "rules:\n  - {name: more, tenant: acme, appliesTo: web, direction: egress, peers: [{group: api}], action: allow, priority: 1}\n";

        PolicyDocument document = PolicyDocument.Parse(change);

        Assert.Throws<PolicyDocumentException>(() => document.ApplyTo(PolicySet.Empty));
        Assert.Equal(6, document.ApplyTo(current).Count);
    }
}
