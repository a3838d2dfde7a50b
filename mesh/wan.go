package mesh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// WANConfig is the JSON form of a simulated WAN between regions, the file that the node
// flag --wan names. Regions are the Meta.Region names of the nodes.
type WANConfig struct {
	// LatencyMS is the one-way delay in milliseconds per unordered pair of regions, keyed
	// "a/b" with the two names in either order. Traffic within one region, or between
	// regions not listed, gets no added delay.
	LatencyMS map[string]float64 `json:"latency_ms"`

	// JitterMS is the maximum extra delay in milliseconds, drawn uniformly from
	// 0..JitterMS for each delayed packet or stream write. A stream write is never
	// delivered before the writes ahead of it, so a message sent in several writes gets
	// the largest of their draws.
	JitterMS float64 `json:"jitter_ms"`

	// Loss is the probability, from 0 to 1, that a gossip UDP packet to another region is
	// dropped. Streams (TCP, libp2p) lose nothing.
	Loss float64 `json:"loss"`

	// Partitions are pairs of regions that cannot reach each other in either direction.
	Partitions [][]string `json:"partitions"`
}

// regionPair is an unordered pair of regions, stored with the smaller name first.
type regionPair struct{ a, b string }

func pairOf(x, y string) regionPair {
	if y < x {
		x, y = y, x
	}
	return regionPair{a: x, b: y}
}

func (p regionPair) String() string { return p.a + "/" + p.b }

// wanSettings is a validated WANConfig in the form the hot path reads.
type wanSettings struct {
	latency    map[regionPair]time.Duration
	jitter     time.Duration
	loss       float64
	partitions map[regionPair]bool
}

// compile validates cfg and converts it to wanSettings.
func (cfg WANConfig) compile() (wanSettings, error) {
	s := wanSettings{
		latency:    make(map[regionPair]time.Duration, len(cfg.LatencyMS)),
		jitter:     millis(cfg.JitterMS),
		loss:       cfg.Loss,
		partitions: make(map[regionPair]bool, len(cfg.Partitions)),
	}
	for key, ms := range cfg.LatencyMS {
		pair, err := parseRegionPair(key)
		if err != nil {
			return wanSettings{}, fmt.Errorf("latency_ms: %w", err)
		}
		if ms < 0 {
			return wanSettings{}, fmt.Errorf("latency_ms %q: %v is negative", key, ms)
		}
		if _, dup := s.latency[pair]; dup {
			return wanSettings{}, fmt.Errorf("latency_ms: pair %s listed twice", pair)
		}
		s.latency[pair] = millis(ms)
	}

	if cfg.JitterMS < 0 {
		return wanSettings{}, fmt.Errorf("jitter_ms: %v is negative", cfg.JitterMS)
	}
	if cfg.Loss < 0 || cfg.Loss > 1 {
		return wanSettings{}, fmt.Errorf("loss: %v is outside 0..1", cfg.Loss)
	}

	for _, regions := range cfg.Partitions {
		if len(regions) != 2 {
			return wanSettings{}, fmt.Errorf("partitions: %q is not a pair of regions",
				regions)
		}
		pair, err := parseRegionPair(regions[0] + "/" + regions[1])
		if err != nil {
			return wanSettings{}, fmt.Errorf("partitions: %w", err)
		}
		s.partitions[pair] = true
	}
	return s, nil
}

// parseRegionPair parses "a/b" into a pair of two different, non-empty region names.
func parseRegionPair(key string) (regionPair, error) {
	a, b, found := strings.Cut(key, "/")
	if !found || a == "" || b == "" || strings.Contains(b, "/") {
		return regionPair{}, fmt.Errorf("region pair %q: expected two region names "+
			"as \"a/b\"", key)
	}
	if a == b {
		return regionPair{}, fmt.Errorf("region pair %q: traffic within one region "+
			"cannot be delayed or partitioned", key)
	}
	return pairOf(a, b), nil
}

func millis(ms float64) time.Duration {
	return time.Duration(ms * float64(time.Millisecond))
}

// WAN simulates a wide-area network between regions inside the process: it delays,
// drops and blocks the mesh traffic that this node sends, according to a WANConfig. Give
// it to HostConfig.WAN and GossipConfig.WAN. Each node acts only on what it sends, so a
// round trip gets the one-way delay of both ends, and every node of a testnet must use
// the same settings. A nil *WAN adds nothing, and its methods are safe to call.
//
// NOTE: opening a connection is not delayed (TCP, Noise and multistream handshakes run
// at loopback speed), and replies on gossip TCP streams that another member opened are
// not delayed, because their source port does not identify a member.
type WAN struct {
	log *slog.Logger

	mu       sync.RWMutex
	settings wanSettings
	local    string
	peers    map[peer.ID]string // region of each libp2p peer
	addrs    map[string]string  // region of each gossip address, host:port
	queues   map[*delayQueue]struct{}
	file     os.FileInfo // the version of the watched file last read, nil if none
}

// NewWAN returns a WAN with the given settings, or an error naming the first invalid
// field. Call SetLocalRegion before traffic flows: until then nothing is delayed.
func NewWAN(cfg WANConfig) (*WAN, error) {
	settings, err := cfg.compile()
	if err != nil {
		return nil, fmt.Errorf("wan settings: %w", err)
	}
	return &WAN{
		log:      slog.Default().With("component", "wan"),
		settings: settings,
		peers:    make(map[peer.ID]string),
		addrs:    make(map[string]string),
		queues:   make(map[*delayQueue]struct{}),
	}, nil
}

// LoadWAN reads a WAN file (the JSON form of WANConfig) and returns its WAN. Fields that
// WANConfig does not have are rejected, so a misspelled key is not silently ignored.
func LoadWAN(path string) (*WAN, error) {
	info, cfg, err := readWANFile(path)
	if err != nil {
		return nil, err
	}
	w, err := NewWAN(cfg)
	if err != nil {
		return nil, fmt.Errorf("load wan file %s: %w", path, err)
	}
	w.file = info
	return w, nil
}

// readWANFile returns the file's metadata, read before its content so that a change
// made while reading is seen on the next poll, and its decoded content.
func readWANFile(path string) (os.FileInfo, WANConfig, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, WANConfig{}, fmt.Errorf("load wan file: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return info, WANConfig{}, fmt.Errorf("load wan file: %w", err)
	}

	var cfg WANConfig
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&cfg); err != nil {
		return info, WANConfig{}, fmt.Errorf("load wan file %s: invalid JSON: %w", path, err)
	}
	return info, cfg, nil
}

// SetLogger sets the logger for setting changes and file errors. Default slog.Default().
func (w *WAN) SetLogger(logger *slog.Logger) {
	if w == nil || logger == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.log = logger.With("component", "wan")
}

// SetLocalRegion sets the region of this node, from which every delay is measured.
func (w *WAN) SetLocalRegion(region string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.local = region
}

// LocalRegion returns the region of this node, empty until SetLocalRegion.
func (w *WAN) LocalRegion() string {
	if w == nil {
		return ""
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.local
}

// SetRegion records the region of a libp2p peer, which decides the delay of the streams
// to it. A peer with no region recorded gets no delay and is never partitioned.
func (w *WAN) SetRegion(id peer.ID, region string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.peers[id] = region
}

// SetAddrRegion records the region of a gossip address (host:port, as in Member.Addr),
// which decides the delay and loss of the gossip packets and streams sent to it.
func (w *WAN) SetAddrRegion(addr string, region string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.addrs[addr] = region
}

// wanDest is the other end of a connection: a libp2p peer, or else a gossip address.
type wanDest struct {
	peer peer.ID
	addr string
}

// region returns the region of dest.
func (w *WAN) region(dest wanDest) string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.regionLocked(dest)
}

// regionLocked is region for a caller that holds w.mu.
func (w *WAN) regionLocked(dest wanDest) string {
	if dest.peer != "" {
		return w.peers[dest.peer]
	}
	return w.addrs[dest.addr]
}

// Delay returns how long to hold a message from this node to a region: the pair's
// latency plus a uniform random jitter. It is zero within the local region, to an
// unknown region, and between regions that the settings do not list.
func (w *WAN) Delay(region string) time.Duration {
	if w == nil {
		return 0
	}
	w.mu.RLock()
	latency, listed := w.settings.latency[pairOf(w.local, region)]
	jitter := w.settings.jitter
	w.mu.RUnlock()

	if !listed {
		return 0
	}
	if jitter > 0 {
		latency += time.Duration(rand.Int64N(int64(jitter) + 1))
	}
	return latency
}

// Partitioned reports whether the settings cut this node's region off from region.
func (w *WAN) Partitioned(region string) bool {
	if w == nil {
		return false
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.settings.partitions[pairOf(w.local, region)]
}

// Drop reports whether to drop one gossip packet to region: always when the regions
// are partitioned, with probability WANConfig.Loss when region is another known region,
// and never within the local region or to an unknown one.
func (w *WAN) Drop(region string) bool {
	if w == nil {
		return false
	}
	w.mu.RLock()
	local, loss := w.local, w.settings.loss
	partitioned := w.settings.partitions[pairOf(local, region)]
	w.mu.RUnlock()

	if partitioned {
		return true
	}
	if region == "" || local == "" || region == local || loss == 0 {
		return false
	}
	return rand.Float64() < loss
}

// reachPeer returns an error wrapping ErrPartitioned if the settings cut this node off
// from the peer's region.
func (w *WAN) reachPeer(id peer.ID) error {
	if w == nil {
		return nil
	}
	region := w.region(wanDest{peer: id})
	if w.Partitioned(region) {
		return fmt.Errorf("peer %s in region %s: %w", id, region, ErrPartitioned)
	}
	return nil
}

// apply replaces the settings and closes the connections to regions that they cut off.
func (w *WAN) apply(settings wanSettings) {
	w.mu.Lock()
	w.settings = settings
	local := w.local
	var cut []*delayQueue
	for queue := range w.queues {
		if settings.partitions[pairOf(local, w.regionLocked(queue.dest))] {
			cut = append(cut, queue)
		}
	}
	log := w.log
	w.mu.Unlock()

	for _, queue := range cut {
		queue.partition()
	}
	log.Info("wan settings applied", "local_region", local,
		"latency", settings.describeLatency(), "jitter", settings.jitter,
		"loss", settings.loss, "partitions", settings.describePartitions(),
		"connections_closed", len(cut))
}

func (s wanSettings) describeLatency() []string {
	list := make([]string, 0, len(s.latency))
	for pair, latency := range s.latency {
		list = append(list, pair.String()+"="+latency.String())
	}
	slices.Sort(list)
	return list
}

func (s wanSettings) describePartitions() []string {
	list := make([]string, 0, len(s.partitions))
	for pair := range s.partitions {
		list = append(list, pair.String())
	}
	slices.Sort(list)
	return list
}

// track registers a queue, so that a partition can close its connection.
func (w *WAN) track(queue *delayQueue) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.queues[queue] = struct{}{}
}

func (w *WAN) untrack(queue *delayQueue) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.queues, queue)
}
