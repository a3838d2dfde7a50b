package mesh

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/pnet"
)

// testLogger discards logs unless the test runs with -v, where it shows warnings.
func testLogger(t testing.TB) *slog.Logger {
	t.Helper()
	if !testing.Verbose() {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{
		Level: slog.LevelWarn,
	}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

func mustMeshKey(t testing.TB) pnet.PSK {
	t.Helper()
	key, err := GenerateMeshKey(filepath.Join(t.TempDir(), "swarm.key"))
	if err != nil {
		t.Fatalf("generate mesh key: %v", err)
	}
	return key
}

func mustIdentity(t testing.TB) crypto.PrivKey {
	t.Helper()
	identity, err := LoadOrCreateIdentity(filepath.Join(t.TempDir(), "identity.key"))
	if err != nil {
		t.Fatalf("create identity: %v", err)
	}
	return identity
}

// mustHost starts a loopback host with a fresh identity and closes it when the test ends.
// Each change edits the config before the host starts.
func mustHost(t testing.TB, key pnet.PSK, changes ...func(*HostConfig)) *Host {
	t.Helper()
	cfg := LoopbackHostConfig()
	cfg.Identity = mustIdentity(t)
	cfg.MeshKey = key
	cfg.Logger = testLogger(t)
	for _, change := range changes {
		change(&cfg)
	}

	host, err := NewHost(cfg)
	if err != nil {
		t.Fatalf("new host: %v", err)
	}
	t.Cleanup(func() { host.Close() })
	return host
}

// mustIntroduce makes every host allow every other one and know its addresses.
func mustIntroduce(t testing.TB, hosts ...*Host) {
	t.Helper()
	for _, a := range hosts {
		for _, b := range hosts {
			if a == b {
				continue
			}
			a.Allow(b.ID())
			if err := a.AddAddrs(b.ID(), b.P2PAddrs()); err != nil {
				t.Fatalf("add addresses: %v", err)
			}
		}
	}
}

// waitFor polls cond every 20 ms until it holds or timeout passes, and returns the time
// it took.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > timeout {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}
