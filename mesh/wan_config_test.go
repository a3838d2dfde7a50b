package mesh

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// mustWAN returns a WAN with cfg whose local region is region.
func mustWAN(t testing.TB, cfg WANConfig, region string) *WAN {
	t.Helper()
	wan, err := NewWAN(cfg)
	if err != nil {
		t.Fatalf("new wan: %v", err)
	}
	wan.SetLogger(testLogger(t))
	wan.SetLocalRegion(region)
	return wan
}

// mustWriteWANFile writes cfg to path as JSON through a temporary file and a rename, as
// the testnet runner does.
func mustWriteWANFile(t testing.TB, path string, cfg WANConfig) {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatalf("encode wan settings: %v", err)
	}
	mustWriteFileAtomic(t, path, data)
}

func mustWriteFileAtomic(t testing.TB, path string, data []byte) {
	t.Helper()
	temporary := path + ".tmp"
	if err := os.WriteFile(temporary, data, 0o600); err != nil {
		t.Fatalf("write %s: %v", temporary, err)
	}
	if err := os.Rename(temporary, path); err != nil {
		t.Fatalf("rename %s: %v", temporary, err)
	}
}

func TestLoadWAN_Files(t *testing.T) {
	cases := []struct {
		name    string
		content string
		errText string // empty: the file must load
	}{
		{"example", `{"latency_ms": {"asia/eu": 80, "eu/us": 40, "asia/us": 90},
			"jitter_ms": 5, "loss": 0.01, "partitions": [["asia", "eu"]]}`, ""},
		{"empty object", `{}`, ""},
		{"fractional milliseconds", `{"latency_ms": {"eu/us": 12.5}, "jitter_ms": 0.5}`, ""},
		{"unknown field", `{"latency": {"asia/eu": 80}}`, "unknown field"},
		{"malformed JSON", `{"latency_ms": `, "invalid JSON"},
		{"latency key without slash", `{"latency_ms": {"asia": 80}}`, "expected two region"},
		{"latency key with three regions", `{"latency_ms": {"asia/eu/us": 80}}`,
			"expected two region"},
		{"latency within a region", `{"latency_ms": {"eu/eu": 5}}`, "within one region"},
		{"latency pair listed twice", `{"latency_ms": {"asia/eu": 80, "eu/asia": 90}}`,
			"listed twice"},
		{"negative latency", `{"latency_ms": {"asia/eu": -1}}`, "negative"},
		{"negative jitter", `{"jitter_ms": -5}`, "negative"},
		{"loss above one", `{"loss": 1.5}`, "outside 0..1"},
		{"partition of three regions", `{"partitions": [["asia", "eu", "us"]]}`,
			"not a pair"},
		{"partition within a region", `{"partitions": [["eu", "eu"]]}`, "within one region"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "wan.json")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}

			wan, err := LoadWAN(path)
			if tc.errText == "" {
				if err != nil {
					t.Fatalf("load: %v", err)
				}
				if wan == nil {
					t.Fatal("load returned no WAN and no error")
				}
				return
			}
			if err == nil {
				t.Fatalf("load succeeded, expected an error containing %q", tc.errText)
			}
			if !strings.Contains(err.Error(), tc.errText) {
				t.Errorf("error %q does not contain %q", err, tc.errText)
			}
		})
	}
}

func TestLoadWAN_MissingFile(t *testing.T) {
	_, err := LoadWAN(filepath.Join(t.TempDir(), "absent.json"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error %v, expected os.ErrNotExist", err)
	}
}

func TestWAN_Decisions(t *testing.T) {
	cfg := WANConfig{
		LatencyMS:  map[string]float64{"asia/eu": 80, "us/eu": 40},
		Partitions: [][]string{{"us", "asia"}},
	}
	wan := mustWAN(t, cfg, "eu")

	cases := []struct {
		region      string
		delay       time.Duration
		partitioned bool
	}{
		{"asia", 80 * time.Millisecond, false},
		{"us", 40 * time.Millisecond, false}, // listed as "us/eu"
		{"eu", 0, false},                     // within the local region
		{"africa", 0, false},                 // pair not listed
		{"", 0, false},                       // region not known yet
	}
	for _, tc := range cases {
		if got := wan.Delay(tc.region); got != tc.delay {
			t.Errorf("Delay(%q) = %s, expected %s", tc.region, got, tc.delay)
		}
		if got := wan.Partitioned(tc.region); got != tc.partitioned {
			t.Errorf("Partitioned(%q) = %t, expected %t", tc.region, got, tc.partitioned)
		}
		if wan.Drop(tc.region) {
			t.Errorf("Drop(%q) = true with loss 0 and no partition", tc.region)
		}
	}

	asia := mustWAN(t, cfg, "asia")
	if !asia.Partitioned("us") {
		t.Error("asia is not partitioned from us, although the file lists [us, asia]")
	}
	if !asia.Drop("us") {
		t.Error("a packet from asia to us is not dropped during a partition")
	}
	if asia.Partitioned("eu") {
		t.Error("asia is partitioned from eu, which the file does not list")
	}
}

func TestWAN_JitterRange(t *testing.T) {
	wan := mustWAN(t, WANConfig{LatencyMS: map[string]float64{"asia/eu": 80},
		JitterMS: 10}, "asia")

	low, high := time.Hour, time.Duration(0)
	for range 2000 {
		delay := wan.Delay("eu")
		low, high = min(low, delay), max(high, delay)
	}
	if low < 80*time.Millisecond {
		t.Errorf("smallest delay %s, expected at least 80ms", low)
	}
	if high > 90*time.Millisecond {
		t.Errorf("largest delay %s, expected at most 90ms", high)
	}
	// 2000 uniform draws over 10 ms cover most of the range.
	if high-low < 8*time.Millisecond {
		t.Errorf("delays span only %s..%s, expected about 10ms of jitter", low, high)
	}
	if got := wan.Delay("asia"); got != 0 {
		t.Errorf("delay within the local region %s, expected 0 without jitter", got)
	}
}

func TestWAN_LossRate(t *testing.T) {
	wan := mustWAN(t, WANConfig{Loss: 0.25}, "asia")

	const packets = 20000
	dropped := 0
	for range packets {
		if wan.Drop("eu") {
			dropped++
		}
	}
	// The standard deviation of the count is about 61 packets; allow 8 of them.
	if dropped < 4500 || dropped > 5500 {
		t.Errorf("dropped %d of %d packets to another region, expected about 5000",
			dropped, packets)
	}
	for range 1000 {
		if wan.Drop("asia") {
			t.Fatal("dropped a packet within the local region")
		}
	}
}

func TestWAN_NilAddsNothing(t *testing.T) {
	var wan *WAN
	wan.SetLocalRegion("eu")
	wan.SetRegion(peer.ID("someone"), "asia")
	wan.SetAddrRegion("127.0.0.1:1", "asia")
	if wan.Delay("asia") != 0 || wan.Partitioned("asia") || wan.Drop("asia") {
		t.Error("a nil WAN delays, partitions or drops")
	}
	if err := wan.reachPeer(peer.ID("someone")); err != nil {
		t.Errorf("a nil WAN rejects a peer: %v", err)
	}
}
