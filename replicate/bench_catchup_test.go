package replicate

import (
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

// catchUpCommands is how many profiles the group holds before a node joins. Lower it to
// shorten the benchmark. Filling the group takes most of the run: 1 to 2 minutes at 100,000
// on a shared 2-core machine, where the whole benchmark took 1.5 to 2 minutes.
const catchUpCommands = 100_000

// catchUpWriters is how many goroutines submit while the group is filled, so that raft
// batches their entries instead of waiting for one commit per command.
const catchUpWriters = 64

// BenchmarkReplicate_CatchUp100k measures a new node catching up with a group of three
// voters that holds catchUpCommands applied profiles of about 4 KiB (see profilePayload),
// one per client. All nodes use libp2p hosts on 127.0.0.1 and their own Pebble databases.
// The leader keeps 256 log entries after its snapshot, so the joiner must install the
// snapshot.
//
// Each iteration opens one more node and lets Reconcile on the leader add it as a
// non-voter, then reports catch-up-s, the time from Reconcile until the joiner's applied
// index reaches the leader's. It also reports the process's peak Go heap in use
// (heap-peak-MiB), and how far the heap and the resident set size grew above their level
// before Reconcile (heap-growth-MiB, rss-growth-MiB), sampled every 100 ms. All four are
// means over iterations. The four nodes share the process, so RSS counts the leader's
// reading of the snapshot as well as the joiner's restore.
func BenchmarkReplicate_CatchUp100k(b *testing.B) {
	c := newMeshCluster(b)
	c.tune = tuneCatchUp
	c.mustAddNode("eu")
	c.mustGrow(2, 0)
	leader := c.mustLeader()

	fillStart := time.Now()
	mustSubmitConcurrently(b, leader.group, "fill", catchUpCommands, catchUpWriters,
		profilePayload())
	if err := leader.group.Raft().Snapshot().Error(); err != nil {
		b.Fatalf("snapshot on the leader: %v", err)
	}
	b.Logf("filled %d commands and took a snapshot in %v", catchUpCommands,
		time.Since(fillStart).Round(time.Millisecond))

	var seconds, heapPeak, heapGrowth, rssGrowth float64
	for b.Loop() {
		b.StopTimer()
		joiner := c.mustAddNode("eu")
		b.StartTimer()

		m := mustCatchUp(b, c, leader, joiner)
		seconds += m.elapsed.Seconds()
		heapPeak += float64(m.peakHeap) / (1 << 20)
		heapGrowth += mebibytes(m.peakHeap, m.heapBefore)
		rssGrowth += mebibytes(m.peakRSS, m.rssBefore)
	}

	n := float64(b.N)
	b.ReportMetric(seconds/n, "catch-up-s")
	b.ReportMetric(heapPeak/n, "heap-peak-MiB")
	b.ReportMetric(heapGrowth/n, "heap-growth-MiB")
	b.ReportMetric(rssGrowth/n, "rss-growth-MiB")
}

// tuneCatchUp keeps 256 log entries after a snapshot, and uses WANConfig's 1 s heartbeat,
// election and 500 ms lease timeouts. With LoopbackConfig's 200 ms, the leader lost its
// leadership while 64 writers filled the group on 2 cores, and submits were queued.
func tuneCatchUp(rc *raft.Config) {
	wan := WANConfig()
	rc.TrailingLogs = 256
	rc.HeartbeatTimeout = wan.HeartbeatTimeout
	rc.ElectionTimeout = wan.ElectionTimeout
	rc.LeaderLeaseTimeout = wan.LeaderLeaseTimeout
}

// catchUpMeasure is one catch-up's duration and memory, in bytes.
type catchUpMeasure struct {
	elapsed    time.Duration
	heapBefore uint64
	rssBefore  uint64
	peakHeap   uint64
	peakRSS    uint64
}

// mustCatchUp adds joiner to the group through Reconcile on leader and waits until it has
// applied everything the leader has. It fails when the joiner replayed the log instead of
// installing a snapshot, because then the benchmark would measure the wrong path.
func mustCatchUp(b *testing.B, c *meshCluster, leader, joiner *meshNode) catchUpMeasure {
	b.Helper()

	runtime.GC()
	var m catchUpMeasure
	m.heapBefore = heapInuse()
	rss, err := residentBytes()
	if err != nil {
		b.Fatal(err)
	}
	m.rssBefore = rss
	sampler := startMemorySampler(100 * time.Millisecond)

	start := time.Now()
	if err := leader.group.Reconcile(c.members()); err != nil {
		b.Fatalf("reconcile on the leader: %v", err)
	}
	target := leader.group.fsm.applied.Load()
	waitFor(b, 10*time.Minute, string(joiner.id)+" to catch up", func() bool {
		return joiner.group.fsm.applied.Load() >= target
	})
	m.elapsed = time.Since(start)

	m.peakHeap, m.peakRSS, err = sampler.stop()
	if err != nil {
		b.Fatal(err)
	}

	if calls := joiner.applier.calls.Load(); calls > 1000 {
		b.Fatalf("joiner ran Apply %d times, expected a snapshot install and few entries", calls)
	}

	return m
}

// members lists every node as alive, the member list that gossip would give Reconcile.
func (c *meshCluster) members() []Member {
	members := make([]Member, 0, len(c.nodes))
	for _, n := range c.nodes {
		members = append(members, Member{ID: n.id, Addr: raft.ServerAddress(n.id),
			Region: n.region, Alive: true})
	}

	return members
}
