package replicate

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// Each iteration of BenchmarkReplicate_Throughput8 submits throughputWrites commands from
// throughputWriters goroutines.
const (
	throughputWrites  = 2000
	throughputWriters = 16
)

// BenchmarkReplicate_Throughput8 measures a group of 3 voters and 5 non-voters (8 nodes, each
// with a libp2p host on 127.0.0.1 and its own Pebble database) taking concurrent 1 KiB writes
// on its leader. Each iteration submits throughputWrites commands from throughputWriters
// goroutines. It reports writes/s, the committed writes per second of Submit time (Submit
// returns once the leader has applied a command). It also reports all-applied-ms, the time
// from the first submit until all 8 nodes have applied the last write, averaged over
// iterations.
func BenchmarkReplicate_Throughput8(b *testing.B) {
	c := newMeshCluster(b)
	c.mustAddNode("eu")
	c.mustGrow(2, 5)
	leader := c.mustLeader()
	payload := []byte(strings.Repeat("p", 1024))

	var submitting, allApplied time.Duration
	for round := 0; b.Loop(); round++ {
		start := time.Now()
		mustSubmitConcurrently(b, leader.group, fmt.Sprintf("round-%d", round), throughputWrites,
			throughputWriters, payload)
		submitting += time.Since(start)

		c.waitAllApplied(leader.group.fsm.applied.Load(), time.Minute)
		allApplied += time.Since(start)
	}

	writes := float64(b.N * throughputWrites)
	b.ReportMetric(writes/submitting.Seconds(), "writes/s")
	b.ReportMetric(float64(allApplied.Milliseconds())/float64(b.N), "all-applied-ms")
}

// mustSubmitConcurrently submits total commands with ids prefix-<n> on g from writers
// goroutines, the command n for client-<n>, and fails the benchmark on the first error, a
// queued command included.
func mustSubmitConcurrently(b *testing.B, g *Group, prefix string, total, writers int,
	payload []byte) {
	b.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	seqs := make(chan int)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for seq := range seqs {
				id := fmt.Sprintf("%s-%06d", prefix, seq)
				cmd := Command{ID: id, Op: "put", CustomerID: fmt.Sprintf("client-%06d", seq),
					Origin: "bench", At: time.Now(), Payload: payload}
				if err := g.Submit(ctx, cmd); err != nil {
					errs <- fmt.Errorf("submit %s: %w", id, err)
					cancel()
					return
				}
			}
		})
	}

	feedSequence(ctx, seqs, total)
	wg.Wait()
	close(errs)

	for err := range errs {
		b.Fatal(err)
	}
}

// feedSequence sends 0 to total-1 on seqs, stopping early when ctx ends, then closes seqs.
func feedSequence(ctx context.Context, seqs chan<- int, total int) {
	defer close(seqs)

	for seq := range total {
		select {
		case seqs <- seq:
		case <-ctx.Done():
			return
		}
	}
}
