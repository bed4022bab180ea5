// One row change reported by a monitor, normalized across "update" (old/new) and "update2" (initial/insert/modify/delete diffs).
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Monitoring;

public enum OvsdbRowChange
{
    /// <summary>The row existed when the monitor started (only in <see cref="OvsdbMonitor.Initial"/>).</summary>
    Initial,
    Insert,
    Modify,
    Delete,
}

/// <summary>
/// <paramref name="Old"/> is the row before the change (null for Initial and Insert) and <paramref name="New"/> the row
/// after it (null for Delete); both hold every monitored column, whatever subset the server sent.
/// </summary>
public sealed record OvsdbRowUpdate(string Table, Guid Uuid, OvsdbRowChange Change, OvsdbRow? Old, OvsdbRow? New);
