// Entry point of the test assembly when run as a program (dotnet exec Patchbay.Store.Tests.dll ...): the
// child process of the kill -9 durability test, which commits transactions until it is killed.
using System.Globalization;
using System.Text;

namespace Patchbay.Store.Tests;

public static class Program
{
    public const string WriterCommand = "sqlite-writer";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [WriterCommand, string dataDirectory, string countText] || !int.TryParse(countText, CultureInfo.InvariantCulture, out int count))
        {
            await Console.Error.WriteLineAsync($"usage: {WriterCommand} DATA_DIR COUNT");
            return 2;
        }

        await using SqliteStore store = await SqliteStore.OpenAsync(dataDirectory);
        await Console.Out.WriteLineAsync("open");
        for (int i = 1; i <= count; i++)
        {
            string key = $"/v1/k/{i:D6}";
            StoreTxnResult result = await store.TxnAsync([StoreCompare.Absent(key)], [new StoreOp.Put(key, Encoding.UTF8.GetBytes($"value {i}"))]);
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync($"put {key} failed its compare");
                return 1;
            }

            // Printed only after the commit returned: every number the parent reads was committed.
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"committed {i} {result.Revision}"));
            await Console.Out.FlushAsync();
        }

        return 0;
    }
}
