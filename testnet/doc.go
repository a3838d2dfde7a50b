// Package testnet runs many real boutique nodes on one machine, on loopback, with a
// simulated WAN between regions, plays scenarios against them (enrollments, appearances on
// cameras, partitions, crashes, forgets, purchases) and writes a report of what each node
// saw, replication lag, lost or duplicated writes, and memory and CPU per node. The
// product never imports it; `omotenashi testnet` and `make testnet` run it.
package testnet
