// The Patchbay endpoint of a CNI attachment is named from (container id, ifname), so every verb finds the same one.
using System.Security.Cryptography;
using System.Text;

namespace Patchbay.Cni;

public static class EndpointNames
{
    /// <summary>Marks endpoints made by the plugin: GC only ever removes endpoints with this prefix.</summary>
    public const string Prefix = "cni-";

    /// <summary>"cni-" and 16 hex digits of SHA-256 over "containerId/ifName": stable, a valid Patchbay name, and short.</summary>
    public static string For(string containerId, string ifName) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(containerId + "/" + ifName)))[..16];
}
