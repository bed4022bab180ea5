// A switch on the wire for the controller under test: a FakeSwitchClient whose every received message is
// recorded (with a sequence number shared by all simulated switches, so tests can order messages across
// switches) and applied to a SwitchModel the way OVS would: flow-mods and meter-mods change the tables,
// barriers, FLOW stats and METER_CONFIG are answered, PACKET_OUTs run through the model, FLOW_REMOVED goes back.
// A test can hold the barrier replies (the messages after a barrier are still applied) to stop the controller
// between its flow-mods and their barrier.
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.Controller.Tests.Switching;

/// <summary>A message the controller sent, in global arrival order; a PACKET_OUT carries what the model did with it.</summary>
internal sealed record Received(long Sequence, OfpMessage Message, PipelineResult? PacketOutResult = null);

internal sealed class SimulatedSwitch : IAsyncDisposable
{
    private static long s_sequence;

    private readonly FakeSwitchClient _client;
    private readonly Lock _lock = new();
    private readonly List<Received> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<BarrierReply>? _heldBarrierReplies;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private SimulatedSwitch(FakeSwitchClient client, SwitchModel model)
    {
        _client = client;
        Model = model;
    }

    /// <summary>The switch's tables; lock on it (<see cref="WithModel{T}"/>) while the controller may write.</summary>
    public SwitchModel Model { get; }

    public ulong DatapathId => Model.DatapathId;

    public IReadOnlyList<Received> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Connects, completes the handshake and starts answering. <paramref name="model"/> may hold flows already (a switch that kept its tables).</summary>
    public static async Task<SimulatedSwitch> ConnectAsync(OpenFlowEndpoint endpoint, ulong datapathId, SwitchModel? model = null)
    {
        FakeSwitchClient client = await FakeSwitchClient.ConnectAsync(endpoint);
        await client.HandshakeAsync(datapathId);
        var simulated = new SimulatedSwitch(client, model ?? new SwitchModel(datapathId));
        simulated._loop = simulated.RunAsync();
        return simulated;
    }

    public T WithModel<T>(Func<SwitchModel, T> action)
    {
        lock (Model)
        {
            return action(Model);
        }
    }

    /// <summary>A frame arrives on <paramref name="inPort"/>: runs the pipeline and sends each packet-in it produced to the controller.</summary>
    public async Task<PipelineResult> InjectAsync(uint inPort, byte[] frame)
    {
        PipelineResult result = Evaluate(inPort, frame);
        await SendPacketInsAsync(result);
        return result;
    }

    /// <summary>Runs the pipeline for a frame arriving on <paramref name="inPort"/>; its packet-ins wait for <see cref="SendPacketInsAsync"/>.</summary>
    public PipelineResult Evaluate(uint inPort, byte[] frame) => WithModel(m => m.Evaluate(inPort, frame));

    /// <summary>Sends the packet-ins of a pipeline run to the controller.</summary>
    public async Task SendPacketInsAsync(PipelineResult result)
    {
        foreach (PacketToController packetIn in result.ToController)
        {
            await _client.SendAsync(packetIn.ToPacketIn());
        }
    }

    /// <summary>Advances the model's clock; the FLOW_REMOVED notices of expired flows go to the controller.</summary>
    public async Task<IReadOnlyList<FlowRemoved>> ExpireAsync(TimeSpan elapsed)
    {
        IReadOnlyList<FlowRemoved> removed = WithModel(m => m.Expire(elapsed));
        foreach (FlowRemoved notice in removed)
        {
            await _client.SendAsync(notice);
        }

        return removed;
    }

    /// <summary>Waits until a received message satisfies <paramref name="predicate"/>; returns the first that does.</summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> predicate, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                Received? found = _received.FirstOrDefault(predicate);
                if (found is not null)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"switch {DatapathId:x16} did not receive the expected message; it received:\n{string.Join("\n", Messages.Select(m => $"  {m.Sequence}: {m.Message}"))}");
            }
        }
    }

    public Task<Received> WaitForAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null)
        where T : OfpMessage =>
        WaitForAsync(r => r.Message is T m && (predicate is null || predicate(m)), timeout);

    /// <summary>From now on barriers are recorded but not answered until <see cref="ReleaseBarrierRepliesAsync"/>.</summary>
    public void HoldBarrierReplies()
    {
        lock (_lock)
        {
            _heldBarrierReplies ??= [];
        }
    }

    /// <summary>Answers the barriers held since <see cref="HoldBarrierReplies"/>, in order, and answers the next ones at once.</summary>
    public async Task ReleaseBarrierRepliesAsync()
    {
        List<BarrierReply> held;
        lock (_lock)
        {
            held = _heldBarrierReplies ?? [];
            _heldBarrierReplies = null;
        }

        foreach (BarrierReply reply in held)
        {
            await _client.SendAsync(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _client.DisposeAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            OfpMessage message;
            try
            {
                message = await _client.ReceiveAsync(Timeout.InfiniteTimeSpan);
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or ObjectDisposedException or OperationCanceledException or TimeoutException)
            {
                return;
            }

            PipelineResult? packetOutResult = null;
            List<OfpMessage> replies = [];
            lock (Model)
            {
                try
                {
                    switch (message)
                    {
                        case FlowMod or MeterMod:
                            replies.AddRange(Model.Apply(message));
                            break;
                        case BarrierRequest:
                            HoldOrAnswer(new BarrierReply { Xid = message.Xid }, replies);
                            break;
                        case FlowStatsRequest request:
                            replies.Add(new FlowStatsReply([.. Model.QueryFlows(request).Select(f => f.ToFlowStats())]) { Xid = message.Xid });
                            break;
                        case MeterConfigRequest:
                            replies.Add(new MeterConfigReply([.. Model.DumpMeters().Select(m => new MeterConfig(m.Flags, m.MeterId, m.Bands))]) { Xid = message.Xid });
                            break;
                        case PacketOut packetOut:
                            packetOutResult = Model.PacketOut(packetOut);
                            break;
                        case EchoRequest echo:
                            replies.Add(new EchoReply(echo.Data) { Xid = echo.Xid });
                            break;
                    }
                }
                catch (SwitchModelException e)
                {
                    replies.Add(e.ToErrorMsg(message));
                }
            }

            Record(new Received(Interlocked.Increment(ref s_sequence), message, packetOutResult));
            foreach (OfpMessage reply in replies)
            {
                try
                {
                    await _client.SendAsync(reply);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }

    private void HoldOrAnswer(BarrierReply reply, List<OfpMessage> replies)
    {
        lock (_lock)
        {
            if (_heldBarrierReplies is not null)
            {
                _heldBarrierReplies.Add(reply);
                return;
            }
        }

        replies.Add(reply);
    }

    private void Record(Received received)
    {
        lock (_lock)
        {
            _received.Add(received);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
