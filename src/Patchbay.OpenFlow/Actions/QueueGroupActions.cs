// ofp_action_set_queue and ofp_action_group (spec 1.3.5, 7.2.5): type, len = 8, then a u32 id.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Actions;

public sealed record SetQueueAction(uint QueueId) : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.SetQueue;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.U32(QueueId);
}

public sealed record GroupAction(uint GroupId) : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.Group;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.U32(GroupId);
}
