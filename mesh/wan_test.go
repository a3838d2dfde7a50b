package mesh

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/raft"
	"github.com/libp2p/go-libp2p/core/pnet"
)

// mustRegionHosts starts one loopback host per region, each with its own WAN from
// newWAN (nil: no WAN), and introduces them to each other with their regions.
func mustRegionHosts(t *testing.T, key pnet.PSK, regions []string,
	newWAN func(region string) *WAN) []*Host {
	t.Helper()
	hosts := make([]*Host, 0, len(regions))
	for _, region := range regions {
		wan := newWAN(region)
		hosts = append(hosts, mustHost(t, key, func(cfg *HostConfig) { cfg.WAN = wan }))
	}
	mustIntroduce(t, hosts...)
	for _, host := range hosts {
		for i, other := range hosts {
			host.cfg.WAN.SetRegion(other.ID(), regions[i])
		}
	}
	return hosts
}

// mustWatchedWAN loads the WAN file at path for a node in region and watches the file
// until the test ends.
func mustWatchedWAN(t *testing.T, path, region string) *WAN {
	t.Helper()
	wan, err := LoadWAN(path)
	if err != nil {
		t.Fatalf("load wan file: %v", err)
	}
	wan.SetLogger(testLogger(t))
	wan.SetLocalRegion(region)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		wan.Watch(ctx, path)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return wan
}

// measureCalls makes one call to open the connection, then count timed calls, and
// returns their round trips sorted from fastest to slowest.
func measureCalls(t *testing.T, from, to *Host, count int) []time.Duration {
	t.Helper()
	ctx := context.Background()
	if _, err := from.Call(ctx, to.ID(), echoProtocol, []byte("warm up")); err != nil {
		t.Fatalf("first call: %v", err)
	}

	trips := make([]time.Duration, 0, count)
	for i := range count {
		start := time.Now()
		_, err := from.Call(ctx, to.ID(), echoProtocol, []byte("ping"))
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		trips = append(trips, time.Since(start))
	}
	slices.Sort(trips)
	return trips
}

func TestWAN_CallRoundTrip(t *testing.T) {
	cases := []struct {
		name      string
		wan       *WANConfig // nil: hosts without a WAN
		minTrip   time.Duration
		maxMedian time.Duration
		minSpread time.Duration // between the fastest and slowest call
	}{
		{"no wan", nil, 0, 20 * time.Millisecond, 0},
		{"asia/eu 80 ms",
			&WANConfig{LatencyMS: map[string]float64{"asia/eu": 80}},
			160 * time.Millisecond, 220 * time.Millisecond, 0},
		{"asia/eu 80 ms with 20 ms jitter",
			&WANConfig{LatencyMS: map[string]float64{"asia/eu": 80}, JitterMS: 20},
			160 * time.Millisecond, 240 * time.Millisecond, 5 * time.Millisecond},
	}
	key := mustMeshKey(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hosts := mustRegionHosts(t, key, []string{"asia", "eu"}, func(region string) *WAN {
				if tc.wan == nil {
					return nil
				}
				return mustWAN(t, *tc.wan, region)
			})
			handleEcho(hosts[1])

			trips := measureCalls(t, hosts[0], hosts[1], 9)
			fastest, median, slowest := trips[0], trips[len(trips)/2], trips[len(trips)-1]
			t.Logf("call round trip asia->eu over %d calls: min %s, median %s, max %s",
				len(trips), fastest, median, slowest)
			if fastest < tc.minTrip {
				t.Errorf("fastest round trip %s, expected at least %s", fastest, tc.minTrip)
			}
			if median >= tc.maxMedian {
				t.Errorf("median round trip %s, expected under %s", median, tc.maxMedian)
			}
			if slowest-fastest < tc.minSpread {
				t.Errorf("round trips span %s..%s, expected jitter to spread them by %s",
					fastest, slowest, tc.minSpread)
			}
		})
	}
}

// waitCall calls from one host to another until the call's outcome is as expected
// (success, or an error wrapping ErrPartitioned) and returns how long it took.
func waitCall(t *testing.T, from, to *Host, partitioned bool,
	timeout time.Duration) time.Duration {
	t.Helper()
	var last error
	took := waitFor(t, timeout, fmt.Sprintf("call outcome with partitioned=%t", partitioned),
		func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			_, last = from.Call(ctx, to.ID(), echoProtocol, []byte("ping"))
			if partitioned {
				return errors.Is(last, ErrPartitioned)
			}
			return last == nil
		})
	return took
}

func TestWAN_CallPartitionHeal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wan.json")
	healed := WANConfig{LatencyMS: map[string]float64{"asia/eu": 20}}
	split := healed
	split.Partitions = [][]string{{"eu", "asia"}}
	mustWriteWANFile(t, path, healed)

	key := mustMeshKey(t)
	hosts := mustRegionHosts(t, key, []string{"asia", "eu"}, func(region string) *WAN {
		return mustWatchedWAN(t, path, region)
	})
	asia, eu := hosts[0], hosts[1]
	handleEcho(asia)
	handleEcho(eu)
	waitCall(t, asia, eu, false, time.Second)

	mustWriteWANFile(t, path, split)
	took := waitCall(t, asia, eu, true, time.Second)
	t.Logf("asia->eu calls failed %s after the partition was written", took)
	took = waitCall(t, eu, asia, true, time.Second)
	t.Logf("eu->asia calls failed %s after that", took)

	mustWriteWANFile(t, path, healed)
	took = waitCall(t, asia, eu, false, time.Second)
	t.Logf("asia->eu calls succeeded %s after the heal was written", took)
	waitCall(t, eu, asia, false, time.Second)
}

func TestWAN_PartitionClosesStreams(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wan.json")
	mustWriteWANFile(t, path, WANConfig{LatencyMS: map[string]float64{"asia/eu": 20}})

	key := mustMeshKey(t)
	hosts := mustRegionHosts(t, key, []string{"asia", "eu"}, func(region string) *WAN {
		return mustWatchedWAN(t, path, region)
	})
	proto, err := RaftProtocol("brand:maison")
	if err != nil {
		t.Fatal(err)
	}
	dialer := NewStreamLayer(hosts[0], proto)
	listener := NewStreamLayer(hosts[1], proto)
	t.Cleanup(func() {
		dialer.Close()
		listener.Close()
	})

	outbound, err := dialer.Dial(raft.ServerAddress(hosts[1].ID().String()), time.Second)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer outbound.Close()
	if _, err := outbound.Write([]byte("ping")); err != nil {
		t.Fatalf("write: %v", err)
	}
	inbound, err := listener.Accept()
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	defer inbound.Close()
	message := make([]byte, 4)
	if _, err := io.ReadFull(inbound, message); err != nil || string(message) != "ping" {
		t.Fatalf("read %q, %v, expected \"ping\"", message, err)
	}

	mustWriteWANFile(t, path, WANConfig{Partitions: [][]string{{"asia", "eu"}}})
	start := time.Now()
	inbound.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, err = inbound.Read(message)
	took := time.Since(start)
	if err == nil {
		t.Fatal("read on a stream across the partition succeeded")
	}
	if took > time.Second {
		t.Errorf("stream across the partition closed after %s (%v), expected within 1s",
			took, err)
	}
	t.Logf("stream closed %s after the partition was written: %v", took, err)

	waitFor(t, time.Second, "write to fail", func() bool {
		_, err := outbound.Write([]byte("ping"))
		return err != nil
	})
	_, err = dialer.Dial(raft.ServerAddress(hosts[1].ID().String()), time.Second)
	if !errors.Is(err, ErrPartitioned) {
		t.Errorf("dial across the partition returned %v, expected ErrPartitioned", err)
	}
}

// mustRegionGossip starts a loopback gossip member in region with a WAN that watches
// path, and returns both.
func mustRegionGossip(t *testing.T, name, region, path string, key pnet.PSK) (*Gossip,
	*WAN) {
	t.Helper()
	cfg := LoopbackGossipConfig()
	cfg.NodeName = name
	cfg.MeshKey = key
	cfg.Meta = testMeta(name)
	cfg.Meta.Region = region
	cfg.Logger = testLogger(t)
	cfg.WAN = mustWatchedWAN(t, path, region)

	gossip, err := NewGossip(cfg)
	if err != nil {
		t.Fatalf("start gossip %s: %v", name, err)
	}
	t.Cleanup(func() { gossip.Shutdown() })
	return gossip, cfg.WAN
}

func mustUDPAddr(t *testing.T, addr string) *net.UDPAddr {
	t.Helper()
	udpAddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		t.Fatalf("resolve %s: %v", addr, err)
	}
	return udpAddr
}

func TestWAN_GossipPartitionHeal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wan.json")
	healed := WANConfig{LatencyMS: map[string]float64{"asia/eu": 30}}
	split := healed
	split.Partitions = [][]string{{"asia", "eu"}}
	mustWriteWANFile(t, path, healed)

	key := mustMeshKey(t)
	saigon, saigonWAN := mustRegionGossip(t, "saigon", "asia", path, key)
	paris, parisWAN := mustRegionGossip(t, "paris", "eu", path, key)
	// A node records these from its gossip members; the test records them before the join.
	saigonWAN.SetAddrRegion(paris.Addr(), "eu")
	parisWAN.SetAddrRegion(saigon.Addr(), "asia")

	if _, err := saigon.Join([]string{paris.Addr()}); err != nil {
		t.Fatalf("join: %v", err)
	}
	bothHealth := func(health Health) func() bool {
		return func() bool {
			a, okA := memberHealth(saigon, "paris")
			b, okB := memberHealth(paris, "saigon")
			return okA && okB && a == health && b == health
		}
	}
	waitFor(t, 5*time.Second, "both members alive", bothHealth(HealthAlive))

	rtt, err := saigon.list.Ping("paris", mustUDPAddr(t, paris.Addr()))
	if err != nil {
		t.Fatalf("ping paris: %v", err)
	}
	t.Logf("gossip ping round trip saigon->paris with 30 ms each way: %s", rtt)
	if rtt < 60*time.Millisecond {
		t.Errorf("gossip ping round trip %s, expected at least 60ms", rtt)
	}

	mustWriteWANFile(t, path, split)
	took := waitFor(t, 10*time.Second, "both members dead", bothHealth(HealthDead))
	t.Logf("members declared each other dead %s after the partition was written", took)

	mustWriteWANFile(t, path, healed)
	took = waitFor(t, 10*time.Second, "both members alive again", bothHealth(HealthAlive))
	t.Logf("members saw each other alive %s after the heal was written", took)
}

func TestWAN_RaftOverWAN(t *testing.T) {
	key := mustMeshKey(t)
	latency := map[string]float64{"asia/eu": 80, "eu/us": 80, "asia/us": 80}
	hosts := mustRegionHosts(t, key, []string{"asia", "eu", "us"}, func(region string) *WAN {
		return mustWAN(t, WANConfig{LatencyMS: latency}, region)
	})
	nodes := mustRaftGroup(t, "brand:maison", hosts, func(cfg *raft.Config) {
		cfg.HeartbeatTimeout = time.Second
		cfg.ElectionTimeout = time.Second
		cfg.LeaderLeaseTimeout = 500 * time.Millisecond
	})

	leader, took := waitLeader(t, nodes, 15*time.Second)
	t.Logf("leader elected after %s with 80 ms one-way latency", took)

	start := time.Now()
	future := leader.raft.Apply([]byte("first"), 5*time.Second)
	if err := future.Error(); err != nil {
		t.Fatalf("apply: %v", err)
	}
	commit := time.Since(start)
	t.Logf("one command committed in %s", commit)
	if commit < 160*time.Millisecond {
		t.Errorf("commit took %s, expected at least one 160 ms round trip", commit)
	}

	mustApply(t, leader, "cmd-", 20)
	want := append([]string{"first"}, expectedCommands("cmd-", 20)...)
	waitFor(t, 5*time.Second, "every node to apply 21 commands", func() bool {
		for _, node := range nodes {
			if !slices.Equal(node.fsm.list(), want) {
				return false
			}
		}
		return true
	})
}
