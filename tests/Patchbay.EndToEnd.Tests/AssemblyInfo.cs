// Real OVS on a 2-core machine: one lab at a time keeps ping and handshake deadlines meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
