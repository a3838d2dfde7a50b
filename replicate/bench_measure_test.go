package replicate

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// profilePayload returns a client profile as JSON with one 512-d and one 128-d descriptor,
// whose values are written with three decimals: 4,331 bytes. The values come from a
// fixed seed, so every run writes the same bytes, and they do not compress the way a repeated
// byte would in Pebble's blocks.
//
// NOTE: the node writes float32 vectors at full precision (encoding/json), about 7.7 KB for
// the same two descriptors, so a real profile's entry is about twice this size.
func profilePayload() []byte {
	random := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString(`{"name":"Benchmark Client","consent":{"scope":"brand"},"descriptors":[`)
	for i, dims := range []int{512, 128} {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"engine":"engine-%d","engine_version":"1","vector":[`, dims)
		for d := range dims {
			if d > 0 {
				b.WriteByte(',')
			}
			value := random.NormFloat64() / math.Sqrt(float64(dims))
			b.WriteString(strconv.FormatFloat(value, 'f', 3, 64))
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)

	return b.Bytes()
}

// percentile returns the nearest-rank percentile p (0 to 100) of sorted, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}

	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))

	return float64(sorted[rank-1]) / float64(time.Millisecond)
}

// sortedCopy returns the durations in increasing order, leaving d as it was.
func sortedCopy(d []time.Duration) []time.Duration {
	sorted := slices.Clone(d)
	slices.Sort(sorted)

	return sorted
}

// memorySampler records the peak Go heap in use and the peak resident set size of the
// process, read every interval until stop.
type memorySampler struct {
	done     chan struct{}
	finished sync.WaitGroup
	peakHeap uint64
	peakRSS  uint64
	readErr  error
}

func startMemorySampler(interval time.Duration) *memorySampler {
	s := &memorySampler{done: make(chan struct{})}
	s.sample()

	s.finished.Add(1)
	go func() {
		defer s.finished.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-tick.C:
				s.sample()
			}
		}
	}()

	return s
}

func (s *memorySampler) sample() {
	s.peakHeap = max(s.peakHeap, heapInuse())

	rss, err := residentBytes()
	if err != nil {
		s.readErr = err
		return
	}
	s.peakRSS = max(s.peakRSS, rss)
}

// stop takes a last sample and returns the peaks in bytes.
func (s *memorySampler) stop() (peakHeap, peakRSS uint64, err error) {
	close(s.done)
	s.finished.Wait()
	s.sample()

	return s.peakHeap, s.peakRSS, s.readErr
}

func heapInuse() uint64 {
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)

	return stats.HeapInuse
}

// residentBytes reads VmRSS from /proc/self/status, which Linux reports in kB.
func residentBytes() (uint64, error) {
	file, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read resident set size: %w", err)
	}
	defer file.Close()

	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		value, found := strings.CutPrefix(scanner.Text(), "VmRSS:")
		if !found {
			continue
		}
		kilobytes, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(value),
			" kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse VmRSS %q: %w", value, err)
		}
		return kilobytes * 1024, nil
	}

	return 0, fmt.Errorf("read resident set size: no VmRSS line in /proc/self/status")
}

// mebibytes returns the growth from before to after in MiB, or zero when it shrank.
func mebibytes(after, before uint64) float64 {
	if after < before {
		return 0
	}

	return float64(after-before) / (1 << 20)
}
