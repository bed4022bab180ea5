// Each transact operation renders to the JSON object of RFC 7047 section 5.2, members in the RFC's order.
using Patchbay.Ovsdb.JsonRpc;
using Patchbay.Ovsdb.Operations;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Tests.Operations;

public sealed class OvsdbOperationTests
{
    private static readonly OvsdbCondition[] ByName = [OvsdbCondition.NameIs("br0")];

    public static TheoryData<OvsdbOperation, string> Operations => new()
    {
        {
            new InsertOperation("Interface", new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String("p1") }, "iface"),
            """{"op":"insert","table":"Interface","row":{"name":"p1"},"uuid-name":"iface"}"""
        },
        {
            new InsertOperation("Open_vSwitch", new Dictionary<string, OvsdbValue>()),
            """{"op":"insert","table":"Open_vSwitch","row":{}}"""
        },
        {
            new SelectOperation("Bridge", ByName, ["_uuid", "ports"]),
            """{"op":"select","table":"Bridge","where":[["name","==","br0"]],"columns":["_uuid","ports"]}"""
        },
        {
            new SelectOperation("Bridge", []),
            """{"op":"select","table":"Bridge","where":[]}"""
        },
        {
            new UpdateOperation("Bridge", ByName, new Dictionary<string, OvsdbValue> { ["fail_mode"] = OvsdbValue.Set(OvsdbValue.String("secure")) }),
            """{"op":"update","table":"Bridge","where":[["name","==","br0"]],"row":{"fail_mode":["set",["secure"]]}}"""
        },
        {
            new MutateOperation("Bridge", ByName, [OvsdbMutation.Insert("ports", OvsdbValue.Set(OvsdbValue.NamedUuid("port"))), OvsdbMutation.Add("x", 2)]),
            """{"op":"mutate","table":"Bridge","where":[["name","==","br0"]],"mutations":[["ports","insert",["set",[["named-uuid","port"]]]],["x","+=",2]]}"""
        },
        {
            new DeleteOperation("Bridge", [OvsdbCondition.Includes("ports", OvsdbValue.Uuid(Guid.Empty))]),
            """{"op":"delete","table":"Bridge","where":[["ports","includes",["uuid","00000000-0000-0000-0000-000000000000"]]]}"""
        },
        {
            new WaitOperation("Bridge", ByName, ["name"], "==", []),
            """{"op":"wait","timeout":0,"table":"Bridge","where":[["name","==","br0"]],"columns":["name"],"until":"==","rows":[]}"""
        },
        {
            new WaitOperation("Bridge", ByName, ["name"], "!=", [new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String("br0") }], null),
            """{"op":"wait","table":"Bridge","where":[["name","==","br0"]],"columns":["name"],"until":"!=","rows":[{"name":"br0"}]}"""
        },
        { new CommitOperation(true), """{"op":"commit","durable":true}""" },
        { new AbortOperation(), """{"op":"abort"}""" },
        { new CommentOperation("why"), """{"op":"comment","comment":"why"}""" },
        { new AssertOperation("lock1"), """{"op":"assert","lock":"lock1"}""" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void ToJson_Operation_WritesRfcObject(OvsdbOperation operation, string expected)
    {
        Assert.Equal(expected, OvsdbJsonText.Write(operation.ToJson()));
    }
}
