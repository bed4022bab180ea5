// The one line printed for a refused request: problem detail, prefixed with its field when the detail does not name it.
using System.Net;
using Patchbay.Cli.Api;

namespace Patchbay.Cli.Tests.Api;

public sealed class ApiProblemTests
{
    [Theory]
    [InlineData("""{"title":"Invalid subnet","status":400,"detail":"10.1.0.0/33 is not a valid IPv4 CIDR","field":"subnet"}""", "subnet: 10.1.0.0/33 is not a valid IPv4 CIDR")]
    [InlineData("""{"title":"Invalid subnet","status":400,"detail":"subnet 10.1.0.0/33 is not valid","field":"subnet"}""", "subnet 10.1.0.0/33 is not valid")]
    [InlineData("""{"title":"network not found","status":404,"detail":"network 'blue' not found"}""", "network 'blue' not found")]
    [InlineData("""{"title":"Validation","status":400,"errors":{"ip":["10.9.9.9 is outside 10.1.0.0/24"]}}""", "ip: 10.9.9.9 is outside 10.1.0.0/24")]
    [InlineData("""{"title":"Conflict","status":409}""", "Conflict")]
    [InlineData("upstream\nbroke", "upstream broke")]
    [InlineData("", "GET /v1/x answered 502 BadGateway")]
    public void Describe_ProblemOrText_OneLine(string body, string expected)
    {
        Assert.Equal(expected, ApiProblem.Describe(HttpStatusCode.BadGateway, body, "GET /v1/x"));
    }
}
