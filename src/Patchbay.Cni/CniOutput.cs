// What the plugin prints: the ADD/CHECK success result (SPEC.md "Success"), the VERSION answer and the error
// result. Written with Utf8JsonWriter so the field names and order are exactly the spec's, with no reflection.
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Patchbay.Core.Api;

namespace Patchbay.Cni;

public static class CniOutput
{
    // Relaxed escaping: the output is read by runtimes and people, never embedded in HTML, so quotes stay quotes.
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The ADD result: the host veth and the container interface (index 1, with its sandbox), its address with the
    /// network's prefix and gateway, the default route via that gateway, and the configuration's dns (else empty).
    /// </summary>
    public static string Result(string cniVersion, PlugResult plug, string ifName, string netns, JsonElement? dns)
    {
        ArgumentNullException.ThrowIfNull(plug);
        EndpointView endpoint = plug.Endpoint;
        return Write(json =>
        {
            json.WriteString("cniVersion", cniVersion);
            json.WriteStartArray("interfaces");
            json.WriteStartObject();
            json.WriteString("name", plug.HostInterface);
            if (plug.HostMac is string hostMac)
            {
                json.WriteString("mac", hostMac);
            }

            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteString("name", ifName);
            json.WriteString("mac", endpoint.Mac);
            json.WriteString("sandbox", netns);
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("ips");
            json.WriteStartObject();
            json.WriteNumber("interface", ContainerInterfaceIndex);
            json.WriteString("address", $"{endpoint.Ip}/{endpoint.PrefixLength}");
            json.WriteString("gateway", endpoint.Gateway);
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("routes");
            json.WriteStartObject();
            json.WriteString("dst", "0.0.0.0/0");
            json.WriteString("gw", endpoint.Gateway);
            json.WriteEndObject();
            json.WriteEndArray();

            json.WritePropertyName("dns");
            if (dns is JsonElement given)
            {
                given.WriteTo(json);
            }
            else
            {
                json.WriteStartObject();
                json.WriteEndObject();
            }
        });
    }

    /// <summary>The index of the container interface in the result's interfaces list (the host veth is 0).</summary>
    public const int ContainerInterfaceIndex = 1;

    public static string Version(string cniVersion) => Write(json =>
    {
        json.WriteString("cniVersion", cniVersion);
        json.WriteStartArray("supportedVersions");
        foreach (string version in NetworkConfig.SupportedVersions)
        {
            json.WriteStringValue(version);
        }

        json.WriteEndArray();
    });

    public static string Error(string cniVersion, CniException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Write(json =>
        {
            json.WriteString("cniVersion", cniVersion);
            json.WriteNumber("code", error.Code);
            json.WriteString("msg", error.Message);
            if (error.Details is string details)
            {
                json.WriteString("details", details);
            }
        });
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
