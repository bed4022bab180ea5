// "Declare the length, then prove it": every encoder computes its length first and calls this after writing.
namespace Patchbay.OpenFlow.Wire;

public static class Declared
{
    public static void Check(int declared, int written, string what)
    {
        if (declared != written)
        {
            throw new InvalidOperationException($"{what}: declared {declared} bytes but wrote {written}");
        }
    }

    /// <summary>
    /// As <see cref="Check(int, int, string)"/>, naming the structure by an enum value that is formatted only
    /// on failure: encoders run per flow and per packet, and Enum.ToString allocates.
    /// </summary>
    public static void Check<T>(int declared, int written, T what)
        where T : struct, Enum
    {
        if (declared != written)
        {
            throw new InvalidOperationException($"{what}: declared {declared} bytes but wrote {written}");
        }
    }

    /// <summary>Rounds up to the next multiple of 8 (OpenFlow aligns matches, actions and instructions on 8).</summary>
    public static int Align8(int length) => (length + 7) & ~7;
}
