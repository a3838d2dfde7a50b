package replicate

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

// BenchmarkFSM_ApplyPruning measures the state machine's apply of one small command in
// batches of 64, with a new command every minute of At. With a retention of one day, each
// command past the first day expires one id, so the run measures steady pruning. The
// "keep" case has a retention longer than the run and prunes nothing.
func BenchmarkFSM_ApplyPruning(b *testing.B) {
	for _, tc := range []struct {
		name      string
		retention time.Duration
	}{{"prune", 24 * time.Hour}, {"keep", 10 * 365 * 24 * time.Hour}} {
		b.Run(tc.name, func(b *testing.B) {
			f, _ := mustNewFSM(b)
			const batch = 64
			logs := make([]*raft.Log, 0, batch)
			seq := 0
			for b.Loop() {
				logs = logs[:0]
				for range batch {
					seq++
					cmd := timedPut(fmt.Sprintf("cmd-%09d", seq),
						horizonStart.Add(time.Duration(seq)*time.Minute))
					logs = append(logs, mustEntryLog(b, uint64(seq), cmd, tc.retention))
				}
				f.ApplyBatch(logs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(seq), "ns/command")
			b.ReportMetric(float64(countKeys(b, f.db, idsPrefix(testGroup))), "ids-kept")
		})
	}
}
