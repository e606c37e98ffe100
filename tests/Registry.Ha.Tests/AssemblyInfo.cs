// The tests kill and restart etcd members and registry nodes on a 2-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
