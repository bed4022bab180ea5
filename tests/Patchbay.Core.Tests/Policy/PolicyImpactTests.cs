// AffectedBy is narrow enough to be useful: a change touches the pairs it names and leaves the others
// (their flows are not reinstalled). Soundness over random changes is in PolicyPropertyTests.
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using static Patchbay.Core.Tests.Policy.PolicyLab;

namespace Patchbay.Core.Tests.Policy;

public sealed class PolicyImpactTests
{
    private static readonly Endpoint Web1 = Endpoint(1, "acme", "blue", ("app", "web"));
    private static readonly Endpoint Web2 = Endpoint(2, "acme", "blue", ("app", "web"));
    private static readonly Endpoint Db = Endpoint(3, "acme", "blue", ("app", "db"));
    private static readonly Endpoint Api = Endpoint(4, "acme", "blue", ("app", "api"));
    private static readonly Endpoint[] All = [Web1, Web2, Db, Api];
    private static readonly EndpointGroup[] Groups = [Group("web", "acme", ("app", "web")), Group("db", "acme", ("app", "db")), Group("api", "acme", ("app", "api"))];
    private static readonly PolicyRule DbClosed = Rule("db-closed", "acme", "db", RuleDirection.Ingress, PolicyPeer.Group("web"), PolicyAction.Deny, 1);

    [Fact]
    public void AffectedBy_NewRule_OnlyThePairsItNames()
    {
        PolicyEngine before = Compile(All, Groups);
        PolicyEngine after = Compile(All, Groups, [DbClosed]);

        PolicyImpact impact = after.AffectedBy(before);

        Assert.True(impact.Contains(Web1.Id, Db.Id));
        Assert.True(impact.Contains(Web2.Id, Db.Id));
        Assert.False(impact.Contains(Db.Id, Web1.Id));
        Assert.False(impact.Contains(Web1.Id, Web2.Id));
        Assert.False(impact.Contains(Web1.Id, Api.Id));
        Assert.Empty(impact.TouchedEndpoints);
    }

    [Fact]
    public void AffectedBy_RelabelledEndpoint_EveryPairWithItAndNoOther()
    {
        PolicyEngine before = Compile(All, Groups, [DbClosed]);
        PolicyEngine after = Compile([Web1, Web2 with { Labels = new Dictionary<string, string> { ["app"] = "api" } }, Db, Api], Groups, [DbClosed]);

        PolicyImpact impact = after.AffectedBy(before);

        Assert.Equal([Web2.Id], impact.TouchedEndpoints);
        Assert.True(impact.Contains(Web2.Id, Db.Id));
        Assert.True(impact.Contains(Api.Id, Web2.Id));
        Assert.False(impact.Contains(Web1.Id, Db.Id));
    }

    [Fact]
    public void AffectedBy_Disconnect_OnlyThatPairBothWays()
    {
        PolicyEngine before = Compile(All, Groups);
        var disconnect = new PairwiseConnection("split", "acme", ConnectionAction.Disconnect, ConnectionTarget.Endpoint(Web1.Name), ConnectionTarget.Endpoint(Api.Name));
        PolicyEngine after = Compile(All, Groups, connections: [disconnect]);

        PolicyImpact impact = after.AffectedBy(before);

        Assert.True(impact.Contains(Web1.Id, Api.Id));
        Assert.True(impact.Contains(Api.Id, Web1.Id));
        Assert.False(impact.Contains(Web2.Id, Api.Id));
        Assert.False(impact.Contains(Web1.Id, Db.Id));
    }
}
