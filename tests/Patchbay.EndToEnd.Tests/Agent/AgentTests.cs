// The real agent (`patchbay agent`, run inside the host namespace with ip netns exec) against a real OVS in that
// namespace and a fake controller API on a unix socket: bridge settings, uplink, registration, and plug/unplug of
// endpoints into container namespaces, checked with ovs-vsctl and ip.
using System.Net;
using Patchbay.Agent;
using Patchbay.Cli.Lab;
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.Infrastructure;

namespace Patchbay.EndToEnd.Tests.Agent;

public sealed class AgentTests : IAsyncLifetime
{
    private const string HostName = "h1";
    private const string UnderlayIp = "198.18.0.1";
    private const string Segment = "seg1";

    private OvsLab? _lab;
    private FakeControllerApi? _controller;
    private BackgroundProcess? _agent;

    private OvsLab Lab => _lab ?? throw new InvalidOperationException("the lab is not running");

    private FakeControllerApi Controller => _controller ?? throw new InvalidOperationException("the fake controller is not running");

    private string Uplink => Lab.Prefix + "-up";

    private string AgentSocket => Path.Combine(Lab.Directory, "agent.sock");

    public async Task InitializeAsync()
    {
        using var timeout = TestTimeout.Start(60);
        _lab = await OvsLab.StartAsync(timeout.Token);
        try
        {
            // The uplink is a veth into a fabric namespace, as in the lab; both namespaces carry the lab prefix.
            var fabric = await Netns.CreateAsync(Lab.Prefix + "-fab", timeout.Token);
            await Veth.CreateAsync(Uplink, Lab.SwitchNetns, Lab.Prefix + "-fu", fabric, timeout.Token);
            _controller = await FakeControllerApi.StartAsync(Path.Combine(Lab.Directory, "api.sock"));
            await StartAgentAsync(timeout.Token);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _agent, null) is { } agent)
        {
            await agent.DisposeAsync();
        }

        if (Interlocked.Exchange(ref _controller, null) is { } controller)
        {
            await controller.DisposeAsync();
        }

        if (Interlocked.Exchange(ref _lab, null) is { } lab)
        {
            await lab.DisposeAsync();
        }
    }

    [Fact]
    public async Task Start_FreshHost_BridgeSecureOpenFlow13WithUplinkAndHostRegistered()
    {
        using var timeout = TestTimeout.Start();
        HostRegistration registration = await WaitForAsync(() => Controller.Registrations.TryPeek(out HostRegistration? r) ? r : null, "a host registration", timeout.Token);

        Assert.Equal("secure", await GetAsync(["Bridge", "pb0", "fail_mode"], timeout.Token));
        Assert.Equal("[OpenFlow13]", await GetAsync(["Bridge", "pb0", "protocols"], timeout.Token));
        Assert.Equal("netdev", await GetAsync(["Bridge", "pb0", "datapath_type"], timeout.Token));
        string datapathId = AgentOptions.DeriveDatapathId(HostName);
        Assert.Equal($"\"{datapathId}\"", await GetAsync(["Bridge", "pb0", "other_config:datapath-id"], timeout.Token));
        Assert.Equal("unix:" + Lab.ControllerSocketPath, (await Lab.Ovs.VsctlAsync(["get-controller", "pb0"], timeout.Token)).StandardOutput.Trim());
        Assert.Contains(Uplink, (await Lab.Ovs.VsctlAsync(["list-ports", "pb0"], timeout.Token)).StandardOutput.Split('\n', StringSplitOptions.TrimEntries));
        Assert.Equal("uplink", await GetAsync(["Interface", Uplink, "external_ids:patchbay-role"], timeout.Token));

        string uplinkMac = await Veth.GetMacAsync(Lab.SwitchNetns, Uplink, timeout.Token);
        Assert.Equal(new HostRegistration(HostName, datapathId, uplinkMac, await Lab.GetOfPortAsync(Uplink, timeout.Token), UnderlayIp, Segment), registration);

        // The heartbeat registers again (every 2 s) so a restarted controller learns the host.
        await WaitForAsync(() => Controller.Registrations.Count >= 2 ? (object)true : null, "a second registration", timeout.Token);
    }

    [Fact]
    public async Task Plug_NewEndpoint_InterfaceConfiguredInNamespaceAttachedAndReported()
    {
        using var timeout = TestTimeout.Start();
        Netns container = await Netns.CreateAsync(Lab.Prefix + "-c1", timeout.Token);
        using var agent = AgentApiClient.Create(AgentSocket);

        PlugResult result = await agent.PlugAsync(new PlugRequest("web1", FakeControllerApi.Network, container.Name, "eth0"), timeout.Token);

        Assert.Equal(HostNetwork.HostInterfaceName("web1"), result.HostInterface);
        Assert.Equal("10.77.0.2", result.Endpoint.Ip);
        Assert.Equal(await Lab.GetOfPortAsync(result.HostInterface, timeout.Token), result.OvsPort);
        Assert.Equal(result.OvsPort, result.Endpoint.OvsPort);
        Assert.Contains(("web1", result.OvsPort), Controller.PortReports);
        Assert.Equal("web1", await GetAsync(["Interface", result.HostInterface, "external_ids:patchbay-endpoint"], timeout.Token));

        string address = (await container.ExecAsync(["ip", "-br", "address", "show", "dev", "eth0"], cancellationToken: timeout.Token)).StandardOutput;
        Assert.Contains("10.77.0.2/24", address, StringComparison.Ordinal);
        Assert.Equal(result.Endpoint.Mac, await Veth.GetMacAsync(container, "eth0", timeout.Token));
        string link = (await container.ExecAsync(["ip", "-br", "link", "show", "dev", "eth0"], cancellationToken: timeout.Token)).StandardOutput;
        Assert.Contains(" UP ", link, StringComparison.Ordinal);
        string route = (await container.ExecAsync(["ip", "route", "show", "default"], cancellationToken: timeout.Token)).StandardOutput;
        Assert.Contains($"default via {FakeControllerApi.Gateway} dev eth0", route, StringComparison.Ordinal);
        string offload = (await container.ExecAsync(["ethtool", "-k", "eth0"], cancellationToken: timeout.Token)).StandardOutput;
        Assert.Contains("tx-checksumming: off", offload, StringComparison.Ordinal);

        IReadOnlyList<PlugResult> listed = await agent.ListAsync(timeout.Token);
        Assert.Equal(("web1", result.HostInterface, result.OvsPort), Assert.Single(listed) is var only ? (only.Endpoint.Name, only.HostInterface, only.OvsPort) : default);
    }

    [Fact]
    public async Task Plug_SameEndpointTwice_SameResultAndNothingCreatedTwice()
    {
        using var timeout = TestTimeout.Start();
        Netns container = await Netns.CreateAsync(Lab.Prefix + "-c1", timeout.Token);
        using var agent = AgentApiClient.Create(AgentSocket);
        var request = new PlugRequest("web1", FakeControllerApi.Network, container.Name, "eth0");
        PlugResult first = await agent.PlugAsync(request, timeout.Token);
        string portsBefore = (await Lab.Ovs.VsctlAsync(["list-ports", "pb0"], timeout.Token)).StandardOutput;
        string linksBefore = (await Lab.SwitchNetns.ExecAsync(["ip", "-br", "link"], cancellationToken: timeout.Token)).StandardOutput;

        PlugResult second = await agent.PlugAsync(request, timeout.Token);

        Assert.Equal((first.Endpoint.Name, first.Endpoint.Ip, first.Endpoint.Mac, first.HostInterface, first.OvsPort), (second.Endpoint.Name, second.Endpoint.Ip, second.Endpoint.Mac, second.HostInterface, second.OvsPort));
        Assert.Equal(portsBefore, (await Lab.Ovs.VsctlAsync(["list-ports", "pb0"], timeout.Token)).StandardOutput);
        Assert.Equal(linksBefore, (await Lab.SwitchNetns.ExecAsync(["ip", "-br", "link"], cancellationToken: timeout.Token)).StandardOutput);
        string addresses = (await container.ExecAsync(["ip", "-4", "-o", "address", "show", "dev", "eth0"], cancellationToken: timeout.Token)).StandardOutput;
        Assert.Single(addresses.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Plug_EndpointOfAnotherHost_Conflict()
    {
        using var timeout = TestTimeout.Start();
        Netns container = await Netns.CreateAsync(Lab.Prefix + "-c1", timeout.Token);
        using var controller = PatchbayApiClient.Create(Controller.Address);
        await controller.CreateEndpointAsync(new EndpointCreate("db1", FakeControllerApi.Network, "h2"), timeout.Token);
        using var agent = AgentApiClient.Create(AgentSocket);

        var refused = await Assert.ThrowsAsync<PatchbayApiException>(() => agent.PlugAsync(new PlugRequest("db1", FakeControllerApi.Network, container.Name, "eth0"), timeout.Token));

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("h2", refused.Detail, StringComparison.Ordinal);
        Assert.False((await Lab.SwitchNetns.TryExecAsync(["ip", "link", "show", "dev", HostNetwork.HostInterfaceName("db1")], cancellationToken: timeout.Token)).Succeeded);
    }

    [Fact]
    public async Task Unplug_PluggedEndpoint_RemovesVethAndPortAndDeletesAtController()
    {
        using var timeout = TestTimeout.Start();
        Netns container = await Netns.CreateAsync(Lab.Prefix + "-c1", timeout.Token);
        using var agent = AgentApiClient.Create(AgentSocket);
        PlugResult plugged = await agent.PlugAsync(new PlugRequest("web1", FakeControllerApi.Network, container.Name, "eth0"), timeout.Token);

        await agent.UnplugAsync("web1", timeout.Token);

        Assert.False((await Lab.SwitchNetns.TryExecAsync(["ip", "link", "show", "dev", plugged.HostInterface], cancellationToken: timeout.Token)).Succeeded);
        Assert.False((await container.TryExecAsync(["ip", "link", "show", "dev", "eth0"], cancellationToken: timeout.Token)).Succeeded);
        Assert.DoesNotContain(plugged.HostInterface, (await Lab.Ovs.VsctlAsync(["list-ports", "pb0"], timeout.Token)).StandardOutput, StringComparison.Ordinal);
        Assert.Contains("web1", Controller.Deletes);
        Assert.Null(Controller.Find("web1"));
        Assert.Empty(await agent.ListAsync(timeout.Token));
    }

    [Fact]
    public async Task Unplug_UnknownEndpoint_Succeeds()
    {
        using var timeout = TestTimeout.Start();
        using var agent = AgentApiClient.Create(AgentSocket);

        await agent.UnplugAsync("never-plugged", timeout.Token);

        Assert.Empty(Controller.Deletes);
    }

    [Fact]
    public async Task Restart_AgentWithPluggedEndpoint_EndpointStaysAndPortReportedAgain()
    {
        using var timeout = TestTimeout.Start(60);
        Netns container = await Netns.CreateAsync(Lab.Prefix + "-c1", timeout.Token);
        using (var agent = AgentApiClient.Create(AgentSocket))
        {
            await agent.PlugAsync(new PlugRequest("web1", FakeControllerApi.Network, container.Name, "eth0"), timeout.Token);
        }

        BackgroundProcess stopped = _agent!;
        _agent = null;
        await stopped.StopAsync(TimeSpan.FromSeconds(10));
        Assert.True(stopped.HasExited);
        Assert.True((await container.TryExecAsync(["ip", "link", "show", "dev", "eth0"], cancellationToken: timeout.Token)).Succeeded, "a clean stop leaves plugged endpoints in place");
        int reportsBefore = Controller.PortReports.Count;

        await StartAgentAsync(timeout.Token);

        uint port = await Lab.GetOfPortAsync(HostNetwork.HostInterfaceName("web1"), timeout.Token);
        await WaitForAsync(() => Controller.PortReports.Skip(reportsBefore).Contains(("web1", port)) ? (object)true : null, "the port report after the restart", timeout.Token);
    }

    private async Task StartAgentAsync(CancellationToken cancellationToken)
    {
        _agent = Lab.SwitchNetns.StartBackground(
        [
            Path.Combine(AppContext.BaseDirectory, "patchbay"), "agent",
            "--name", HostName,
            "--ovsdb", Lab.Ovs.OvsdbTarget,
            "--controller-api", Controller.Address,
            "--openflow-target", "unix:" + Lab.ControllerSocketPath,
            "--uplink", Uplink,
            "--underlay-ip", UnderlayIp,
            "--segment", Segment,
            "--socket", AgentSocket,
        ]);
        using var agent = AgentApiClient.Create(AgentSocket);
        BackgroundProcess process = _agent;
        await WaitForAsync(
            async () => process.HasExited
                ? throw new InvalidOperationException($"the agent exited: {process.Output}")
                : await agent.IsHealthyAsync(cancellationToken) ? (object)true : null,
            "the agent's local API",
            () => process.Output,
            cancellationToken);
    }

    private async Task<string> GetAsync(IReadOnlyList<string> what, CancellationToken cancellationToken) =>
        (await Lab.Ovs.VsctlAsync(["get", .. what], cancellationToken)).StandardOutput.Trim();

    private Task<T> WaitForAsync<T>(Func<T?> probe, string what, CancellationToken cancellationToken)
        where T : class =>
        WaitForAsync(() => Task.FromResult(probe()), what, () => _agent?.Output ?? string.Empty, cancellationToken);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, Func<string> diagnostics, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            while (true)
            {
                if (await probe() is T found)
                {
                    return found;
                }

                await Task.Delay(50, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} in time; agent output:\n{diagnostics()}");
        }
    }
}
