// Locates the shared OpenFlow 1.3 golden vectors (shared/vectors beside the repository clone) and
// splits each file into its frames.
using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace Patchbay.OpenFlow.Tests.Golden;

public static class GoldenVectors
{
    private static readonly Lazy<string> Of13Directory = new(Locate);

    public static string PacketsDirectory => Path.Combine(Of13Directory.Value, "packets");

    public static string JsonDirectory => Path.Combine(Of13Directory.Value, "json");

    /// <summary>File names (not paths) of every vector in packets/, sorted so test cases are stable.</summary>
    public static IReadOnlyList<string> PacketNames() =>
        [.. Directory.GetFiles(PacketsDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static TheoryData<string> PacketNameData()
    {
        var data = new TheoryData<string>();
        foreach (string name in PacketNames())
        {
            data.Add(name);
        }

        return data;
    }

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(PacketsDirectory, name));

    /// <summary>The os-ken decoding of <paramref name="name"/>, or null when the vector has none.</summary>
    public static JsonNode? Json(string name)
    {
        string path = Path.Combine(JsonDirectory, name + ".json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
    }

    /// <summary>Splits a file of concatenated messages by each ofp_header.length.</summary>
    public static IReadOnlyList<byte[]> Frames(byte[] bytes)
    {
        var frames = new List<byte[]>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < OfpConstants.HeaderSize)
            {
                throw new InvalidDataException($"{bytes.Length - offset} trailing bytes at offset {offset} are shorter than a header");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset + 2));
            if (length < OfpConstants.HeaderSize || offset + length > bytes.Length)
            {
                throw new InvalidDataException($"frame at offset {offset} declares length {length}, file has {bytes.Length - offset} bytes left");
            }

            frames.Add(bytes[offset..(offset + length)]);
            offset += length;
        }

        return frames;
    }

    private static string Locate()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Patchbay.slnx")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"no Patchbay.slnx above {AppContext.BaseDirectory}: cannot find the repository root");
        }

        string of13 = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "vectors", "of13"));
        if (!Directory.Exists(Path.Combine(of13, "packets")) || !Directory.Exists(Path.Combine(of13, "json")))
        {
            throw new InvalidOperationException($"golden vectors missing: expected {of13}/packets and {of13}/json beside the repository at {directory.FullName}");
        }

        return of13;
    }
}
