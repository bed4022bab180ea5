// Every object the lab creates (namespaces, interfaces, directories) is named from one prefix, so a
// cleanup after a crash finds leftovers by name and never touches anything else.
namespace Patchbay.Cli.Lab;

internal static class LabNames
{
    /// <summary>Common start of every lab prefix: nothing outside the lab is named like this.</summary>
    public const string Root = "pb";

    /// <summary>Where a lab keeps its OVS directories and sockets: one subdirectory per prefix.</summary>
    public static string Directory(string prefix) => Path.Combine(Path.GetTempPath(), "patchbay-lab", prefix);

    /// <summary>Removes the namespaces (and the processes in them) and the directory of a lab prefix.</summary>
    public static async Task<IReadOnlyList<string>> CleanUpAsync(string prefix, CancellationToken cancellationToken = default)
    {
        if (!prefix.StartsWith(Root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"lab prefixes start with '{Root}'", nameof(prefix));
        }

        var removed = await Netns.DeleteByPrefixAsync(prefix, cancellationToken);
        var directory = Directory(prefix);
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        return removed;
    }
}
