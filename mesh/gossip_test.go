package mesh

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/pnet"
)

// eventLog collects the events a Gossip delivers.
type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) add(event Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, event)
}

func (l *eventLog) has(kind EventKind, name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, event := range l.events {
		if event.Kind == kind && event.Member.Name == name {
			return true
		}
	}
	return false
}

func testMeta(name string) Meta {
	return Meta{
		Name:     name,
		Brand:    "maison",
		Group:    "lvx",
		Region:   "apac",
		Scopes:   []string{"brand:maison"},
		PeerID:   "peer-" + name,
		P2PAddrs: []string{"/ip4/127.0.0.1/tcp/4001"},
		HTTPAddr: "127.0.0.1:8080",
	}
}

// mustGossip starts a loopback gossip member and shuts it down when the test ends.
func mustGossip(t *testing.T, name string, key pnet.PSK, events *eventLog) *Gossip {
	t.Helper()
	cfg := LoopbackGossipConfig()
	cfg.NodeName = name
	cfg.MeshKey = key
	cfg.Meta = testMeta(name)
	cfg.Logger = testLogger(t)
	if events != nil {
		cfg.OnEvent = events.add
	}

	gossip, err := NewGossip(cfg)
	if err != nil {
		t.Fatalf("start gossip %s: %v", name, err)
	}
	t.Cleanup(func() { gossip.Shutdown() })
	return gossip
}

func memberHealth(g *Gossip, name string) (Health, bool) {
	for _, member := range g.Members() {
		if member.Name == name {
			return member.Health, true
		}
	}
	return 0, false
}

func TestGossip_JoinLeaveFail(t *testing.T) {
	key := mustMeshKey(t)
	var events eventLog
	first := mustGossip(t, "first", key, &events)
	second := mustGossip(t, "second", key, nil)
	third := mustGossip(t, "third", key, nil)

	for _, g := range []*Gossip{second, third} {
		if _, err := g.Join([]string{first.Addr()}); err != nil {
			t.Fatalf("join: %v", err)
		}
	}

	took := waitFor(t, 5*time.Second, "three alive members everywhere", func() bool {
		for _, g := range []*Gossip{first, second, third} {
			members := g.Members()
			if len(members) != 3 {
				return false
			}
			for _, member := range members {
				if member.Health != HealthAlive {
					return false
				}
			}
		}
		return true
	})
	t.Logf("three members converged in %s", took)

	for _, member := range third.Members() {
		if !reflect.DeepEqual(member.Meta, testMeta(member.Name)) {
			t.Errorf("metadata of %s seen by third: %+v", member.Name, member.Meta)
		}
	}

	if err := third.Leave(2 * time.Second); err != nil {
		t.Fatalf("leave: %v", err)
	}
	took = waitFor(t, 5*time.Second, "third seen as left", func() bool {
		health, ok := memberHealth(first, "third")
		return ok && health == HealthLeft
	})
	t.Logf("leave seen in %s", took)
	if err := third.Shutdown(); err != nil {
		t.Fatal(err)
	}

	if err := second.Shutdown(); err != nil {
		t.Fatal(err)
	}
	took = waitFor(t, 10*time.Second, "second seen as dead", func() bool {
		health, ok := memberHealth(first, "second")
		return ok && health == HealthDead
	})
	t.Logf("failure seen in %s", took)

	waitFor(t, time.Second, "events delivered", func() bool {
		return events.has(EventFail, "second")
	})
	for _, want := range []struct {
		kind EventKind
		name string
	}{{EventJoin, "first"}, {EventJoin, "second"}, {EventJoin, "third"},
		{EventLeave, "third"}, {EventFail, "second"}} {
		if !events.has(want.kind, want.name) {
			t.Errorf("no %s event for %s", want.kind, want.name)
		}
	}
	if events.has(EventFail, "third") {
		t.Error("third left gracefully but was reported as failed")
	}
}

func TestGossip_UpdateMeta(t *testing.T) {
	key := mustMeshKey(t)
	var events eventLog
	first := mustGossip(t, "first", key, &events)
	second := mustGossip(t, "second", key, nil)
	if _, err := second.Join([]string{first.Addr()}); err != nil {
		t.Fatalf("join: %v", err)
	}
	waitFor(t, 5*time.Second, "join", func() bool { return len(first.Members()) == 2 })

	meta := testMeta("second")
	meta.HTTPAddr = "127.0.0.1:9090"
	if err := second.UpdateMeta(meta, 2*time.Second); err != nil {
		t.Fatalf("update: %v", err)
	}
	waitFor(t, 5*time.Second, "new metadata", func() bool {
		for _, member := range first.Members() {
			if member.Name == "second" && member.Meta.HTTPAddr == "127.0.0.1:9090" {
				return true
			}
		}
		return false
	})
	if !events.has(EventUpdate, "second") {
		t.Error("no update event for second")
	}
}

func TestGossip_WrongKeyCannotJoin(t *testing.T) {
	member := mustGossip(t, "member", mustMeshKey(t), nil)
	stranger := mustGossip(t, "stranger", mustMeshKey(t), nil)

	if _, err := stranger.Join([]string{member.Addr()}); err == nil {
		t.Error("join with another mesh key succeeded")
	}

	// Give any stray packet time to arrive before checking that nothing leaked.
	time.Sleep(500 * time.Millisecond)
	if _, ok := memberHealth(member, "stranger"); ok {
		t.Error("member lists the stranger")
	}
	if _, ok := memberHealth(stranger, "member"); ok {
		t.Error("stranger lists the member")
	}
}

func TestGossip_MetaTooLarge(t *testing.T) {
	cfg := LoopbackGossipConfig()
	cfg.NodeName = "big"
	cfg.MeshKey = mustMeshKey(t)
	cfg.Meta = testMeta("big")
	cfg.Meta.Scopes = []string{strings.Repeat("s", 600)}

	_, err := NewGossip(cfg)
	if !errors.Is(err, ErrMetaTooLarge) {
		t.Errorf("error %v, expected ErrMetaTooLarge", err)
	}
}

func TestDeriveGossipKey_Properties(t *testing.T) {
	meshKey := mustMeshKey(t)
	first, err := deriveGossipKey(meshKey)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := deriveGossipKey(meshKey)
	other, _ := deriveGossipKey(mustMeshKey(t))

	if len(first) != 32 {
		t.Errorf("key is %d bytes, expected 32", len(first))
	}
	if !bytes.Equal(first, again) {
		t.Error("derivation is not deterministic")
	}
	if bytes.Equal(first, meshKey) {
		t.Error("gossip key equals the mesh key")
	}
	if bytes.Equal(first, other) {
		t.Error("two mesh keys derive the same gossip key")
	}
}

func TestGossipConfig_Validate(t *testing.T) {
	valid := LoopbackGossipConfig()
	valid.NodeName = "node"
	valid.MeshKey = mustMeshKey(t)
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for _, profile := range []GossipConfig{DefaultGossipConfig(), WANGossipConfig()} {
		profile.NodeName = "node"
		profile.MeshKey = valid.MeshKey
		if err := profile.Validate(); err != nil {
			t.Errorf("profile: %v", err)
		}
	}

	cases := []struct {
		name   string
		change func(*GossipConfig)
	}{
		{"missing name", func(c *GossipConfig) { c.NodeName = "" }},
		{"port out of range", func(c *GossipConfig) { c.BindPort = 70000 }},
		{"missing mesh key", func(c *GossipConfig) { c.MeshKey = nil }},
		{"zero probe interval", func(c *GossipConfig) { c.ProbeInterval = 0 }},
		{"probe timeout too long", func(c *GossipConfig) { c.ProbeTimeout = time.Minute }},
		{"zero suspicion", func(c *GossipConfig) { c.SuspicionMult = 0 }},
		{"metadata too large", func(c *GossipConfig) {
			c.Meta.Name = strings.Repeat("n", 600)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := valid
			tc.change(&cfg)
			if err := cfg.Validate(); err == nil {
				t.Error("invalid config passed validation")
			}
		})
	}
}
