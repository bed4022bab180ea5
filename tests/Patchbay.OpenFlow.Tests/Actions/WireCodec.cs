// Encode and decode helpers for the action, instruction and OXM tests: each encoder must write exactly
// the length it declares, and each decoder must consume exactly the bytes it was given.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests;

internal static class WireCodec
{
    public static byte[] Encode(OfpAction action)
    {
        var bytes = new byte[action.Length];
        var writer = new WireWriter(bytes);
        action.Write(ref writer);
        Assert.Equal(action.Length, writer.Position);
        return bytes;
    }

    public static byte[] Encode(OfpInstruction instruction)
    {
        var bytes = new byte[instruction.Length];
        var writer = new WireWriter(bytes);
        instruction.Write(ref writer);
        Assert.Equal(instruction.Length, writer.Position);
        return bytes;
    }

    public static byte[] Encode(OxmField field)
    {
        var bytes = new byte[field.Length];
        var writer = new WireWriter(bytes);
        field.Write(ref writer);
        Assert.Equal(field.Length, writer.Position);
        return bytes;
    }

    public static byte[] Encode(OfpMatch match)
    {
        var bytes = new byte[match.PaddedLength];
        var writer = new WireWriter(bytes);
        match.Write(ref writer);
        Assert.Equal(match.PaddedLength, writer.Position);
        return bytes;
    }

    public static OfpAction DecodeAction(byte[] bytes)
    {
        var reader = new WireReader(bytes);
        OfpAction action = OfpAction.Read(ref reader);
        Assert.True(reader.End, $"{reader.Remaining} bytes left after {action}");
        return action;
    }

    public static OfpInstruction DecodeInstruction(byte[] bytes)
    {
        var reader = new WireReader(bytes);
        OfpInstruction instruction = OfpInstruction.Read(ref reader);
        Assert.True(reader.End, $"{reader.Remaining} bytes left after {instruction}");
        return instruction;
    }

    public static OxmField DecodeOxm(byte[] bytes)
    {
        var reader = new WireReader(bytes);
        OxmField field = OxmField.Read(ref reader);
        Assert.True(reader.End, $"{reader.Remaining} bytes left after {field}");
        return field;
    }

    public static OfpMatch DecodeMatch(byte[] bytes)
    {
        var reader = new WireReader(bytes);
        OfpMatch match = OfpMatch.Read(ref reader);
        Assert.True(reader.End, $"{reader.Remaining} bytes left after the match");
        return match;
    }

    public static ProtocolErrorReason ReasonOf(Action decode) =>
        Assert.Throws<OpenFlowProtocolException>(decode).Reason;
}
