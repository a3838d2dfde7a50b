package testnet

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// wanFile is the --wan file every node polls. The runner rewrites it atomically (a
// temporary file renamed over it), so a node never reads half a file.
type wanFile struct {
	mu   sync.Mutex
	path string
	wan  WAN
}

func newWANFile(path string, wan WAN) (*wanFile, error) {
	f := &wanFile{path: path, wan: wan}
	if f.wan.Partitions == nil {
		f.wan.Partitions = [][2]string{}
	}
	return f, f.write()
}

// isolate cuts region off from every other region of regions.
func (f *wanFile) isolate(region string, regions []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, other := range regions {
		if other != region {
			f.wan.Partitions = append(f.wan.Partitions, pairOf(region, other))
		}
	}
	return f.write()
}

// heal removes every partition.
func (f *wanFile) heal() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wan.Partitions = [][2]string{}
	return f.write()
}

func (f *wanFile) write() error {
	data, err := json.MarshalIndent(f.wan, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".wan-*.json")
	if err != nil {
		return fmt.Errorf("write wan file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write wan file %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write wan file %s: %w", tmp.Name(), err)
	}
	return os.Rename(tmp.Name(), f.path)
}

// pairOf returns two regions in sorted order, the form the WAN file's keys use.
func pairOf(a, b string) [2]string {
	pair := []string{a, b}
	sort.Strings(pair)
	return [2]string{pair[0], pair[1]}
}

// oneWayMS returns the configured one-way latency between two regions, 0 within one.
func (w WAN) oneWayMS(a, b string) float64 {
	if a == b {
		return 0
	}
	p := pairOf(a, b)
	return w.LatencyMS[p[0]+"/"+p[1]]
}
