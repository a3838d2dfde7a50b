// Package replicate replicates the profile state of one consent scope among the nodes that
// share it, with hashicorp/raft v1.7.2 over the node's Pebble database.
//
// Each replicated scope is one raft group ("brand:<name>", "group:<name>"); profiles with the
// "store" scope are never given to this package. A node opens a Group for each scope it
// belongs to, and several groups run in one process over one Pebble database, each under its
// own key prefixes (see keys.go). The package stores the node's commands as opaque bytes and
// applies them through the node's Applier. The caller supplies the raft.Transport, the
// Forwarder that carries commands to the leader, and the member list that Reconcile turns into
// the raft configuration.
//
// Writes: Submit applies a command on the leader or forwards it there. When no leader is
// reachable the command goes to a durable outbox in Pebble, Submit returns ErrQueued, and a
// background loop delivers it later, keeping the order of the node's own writes. Every command
// carries an id. The state machine records each id's outcome (applied, or rejected with the
// Applier's reason) in the same synced batch as the command's effect. So a command applies at
// most once, however often it is retried, forwarded, replayed or restored from a snapshot.
//
// Forgetting a client: after a node applies a command with Op OpForget, it takes a raft
// snapshot of its state (which the Applier has cleared of her), deletes its raft log up to that
// snapshot, keeps only that snapshot file, and compacts the whole Pebble key range so the
// deleted values leave the SSTables. The work starts as soon as the node applies the forget and
// took 70 ms for a state of 10,000 profiles of 1 KiB (BenchmarkGroup_Purge, 2-core VM, local
// disk). A node that is down purges when it applies the forget, or installs a later snapshot,
// after it rejoins; a crash between the forget and the purge is caught up at the next Open.
//
// Pebble's write-ahead log is the exception. Pebble v2.1.7 reuses obsolete WAL files and
// overwrites them from the start, so her bytes stay in a WAL file until the node has written
// new data past them. With Pebble's default options they were gone after 8 MiB of new writes
// (TestGroup_ForgetLeavesDataFolder), but a node that writes nothing keeps them indefinitely.
//
// Replay horizon: the ids are kept for GroupConfig.IDRetention (30 days by default) counted
// back from the newest Command.At the group has applied, not from any node's clock, so every
// replica makes the same decisions. A command written before that horizon is rejected with
// ErrStale, and the ids before it are deleted a few at a time as later commands are applied.
// Ids recorded by versions without the horizon have no time and are kept.
//
// NOTE: a write for her that reaches the log after the forget (a late or replayed command) is
// rejected by the Applier, but its payload stays in the raft log until the next purge or log
// compaction. Her commands still waiting in a node's outbox stay there until they are
// delivered and rejected.
package replicate
