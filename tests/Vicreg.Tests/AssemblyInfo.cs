// Tests seed and draw from torch's process-wide generator (model init, randn). Run in parallel, one
// test's draws would land in the middle of another's seeded initialisation and break the
// same-seed-same-curve assertions; libtorch already uses both cores for each test's tensor work.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
