// Byte-exact comparison whose failure names the first differing offset, so a wire mismatch points at
// the field that broke instead of dumping two arrays.
using Xunit.Sdk;

namespace Patchbay.Testing.Bytes;

public static class ByteAssert
{
    /// <summary>Null when equal, else a description of the first difference.</summary>
    public static string? FirstDifference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        int common = Math.Min(expected.Length, actual.Length);
        for (int i = 0; i < common; i++)
        {
            if (expected[i] != actual[i])
            {
                return $"first difference at byte {i} (0x{i:x}): expected 0x{expected[i]:x2}, actual 0x{actual[i]:x2} (lengths {expected.Length} and {actual.Length})";
            }
        }

        return expected.Length == actual.Length
            ? null
            : $"lengths differ: expected {expected.Length} bytes, actual {actual.Length}; the first {common} agree";
    }

    public static void Identical(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what)
    {
        string? difference = FirstDifference(expected, actual);
        if (difference is not null)
        {
            throw new XunitException($"{what}: {difference}\nexpected {Convert.ToHexString(expected)}\nactual   {Convert.ToHexString(actual)}");
        }
    }
}
