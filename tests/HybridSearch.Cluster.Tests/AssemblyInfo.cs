// Clusters (three in-process silos each, or three silo processes) run one at a time: on a small machine, parallel
// clusters starve each other's membership probes and the process test's start-up waits.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
