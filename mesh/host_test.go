package mesh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

const echoProtocol protocol.ID = "/omotenashi/test/echo/1.0.0"

// handleEcho registers a handler that returns "<host ID> got <request> from <caller ID>"
// and counts the requests it served.
func handleEcho(host *Host) *atomic.Int64 {
	var served atomic.Int64
	host.Handle(echoProtocol, func(_ context.Context, from peer.ID, req []byte) ([]byte,
		error) {
		served.Add(1)
		return fmt.Appendf(nil, "%s got %s from %s", host.ID(), req, from), nil
	})
	return &served
}

func TestHost_CallBetweenThree(t *testing.T) {
	key := mustMeshKey(t)
	hosts := []*Host{mustHost(t, key), mustHost(t, key), mustHost(t, key)}
	mustIntroduce(t, hosts...)
	for _, host := range hosts {
		handleEcho(host)
	}

	ctx := context.Background()
	for _, from := range hosts {
		for _, to := range hosts {
			if from == to {
				continue
			}
			resp, err := from.Call(ctx, to.ID(), echoProtocol, []byte("hello"))
			if err != nil {
				t.Fatalf("call %s -> %s: %v", from.ID(), to.ID(), err)
			}
			want := fmt.Sprintf("%s got hello from %s", to.ID(), from.ID())
			if string(resp) != want {
				t.Errorf("response %q, expected %q", resp, want)
			}
		}
	}
}

func TestHost_WrongMeshKeyRejected(t *testing.T) {
	member := mustHost(t, mustMeshKey(t))
	stranger := mustHost(t, mustMeshKey(t))
	mustIntroduce(t, member, stranger)
	served := handleEcho(member)

	_, err := stranger.Call(context.Background(), member.ID(), echoProtocol, []byte("hi"))
	if err == nil {
		t.Fatal("call from a host with another mesh key succeeded")
	}
	if served.Load() != 0 {
		t.Errorf("handler ran %d times for a host with another mesh key", served.Load())
	}
	if state := member.host.Network().Connectedness(stranger.ID()); state ==
		network.Connected {
		t.Errorf("member is connected to the stranger")
	}
}

func TestHost_NotAllowedRejected(t *testing.T) {
	key := mustMeshKey(t)
	member := mustHost(t, key)
	intruder := mustHost(t, key)
	served := handleEcho(member)

	// The intruder holds the mesh key and allows the member, but the member does not
	// allow the intruder.
	intruder.Allow(member.ID())
	if err := intruder.AddAddrs(member.ID(), member.P2PAddrs()); err != nil {
		t.Fatal(err)
	}

	_, err := intruder.Call(context.Background(), member.ID(), echoProtocol, []byte("hi"))
	if err == nil {
		t.Fatal("call from a peer that is not allowed succeeded")
	}
	if served.Load() != 0 {
		t.Errorf("handler ran %d times for a peer that is not allowed", served.Load())
	}

	_, err = member.Call(context.Background(), intruder.ID(), echoProtocol, nil)
	if !errors.Is(err, ErrPeerNotAllowed) {
		t.Errorf("call to a peer that is not allowed: error %v, expected ErrPeerNotAllowed",
			err)
	}
}

func TestHost_ForgedIdentityRejected(t *testing.T) {
	key := mustMeshKey(t)
	caller := mustHost(t, key)
	real := mustHost(t, key)
	impostor := mustHost(t, key)
	mustIntroduce(t, caller, real, impostor)
	served := handleEcho(impostor)

	// The caller looks for the real peer at the impostor's address. The Noise handshake
	// proves the impostor's own key, which does not match the real peer ID.
	caller.host.Peerstore().ClearAddrs(real.ID())
	if err := caller.AddAddrs(real.ID(), impostor.P2PAddrs()); err != nil {
		t.Fatal(err)
	}

	_, err := caller.Call(context.Background(), real.ID(), echoProtocol, []byte("hi"))
	if err == nil {
		t.Fatal("call reached an impostor under the real peer's ID")
	}
	if served.Load() != 0 {
		t.Errorf("impostor served %d requests", served.Load())
	}
}

func TestHost_AllowFunc(t *testing.T) {
	key := mustMeshKey(t)
	caller := mustHost(t, key)
	server := mustHost(t, key, func(cfg *HostConfig) {
		cfg.Allow = func(id peer.ID) bool { return id == caller.ID() }
	})
	other := mustHost(t, key)
	for _, client := range []*Host{caller, other} {
		client.Allow(server.ID())
		if err := client.AddAddrs(server.ID(), server.P2PAddrs()); err != nil {
			t.Fatal(err)
		}
	}
	handleEcho(server)

	if _, err := caller.Call(context.Background(), server.ID(), echoProtocol, nil); err != nil {
		t.Errorf("call admitted by the allow function failed: %v", err)
	}
	if _, err := other.Call(context.Background(), server.ID(), echoProtocol, nil); err == nil {
		t.Error("call rejected by the allow function succeeded")
	}
}

func TestHost_CallErrors(t *testing.T) {
	key := mustMeshKey(t)
	caller := mustHost(t, key)
	server := mustHost(t, key)
	mustIntroduce(t, caller, server)

	const (
		failProtocol  protocol.ID = "/omotenashi/test/fail/1.0.0"
		panicProtocol protocol.ID = "/omotenashi/test/panic/1.0.0"
		slowProtocol  protocol.ID = "/omotenashi/test/slow/1.0.0"
		hugeProtocol  protocol.ID = "/omotenashi/test/huge/1.0.0"
	)
	server.Handle(failProtocol, func(context.Context, peer.ID, []byte) ([]byte, error) {
		return nil, errors.New("not the leader")
	})
	server.Handle(panicProtocol, func(context.Context, peer.ID, []byte) ([]byte, error) {
		panic("broken handler")
	})
	server.Handle(slowProtocol, func(ctx context.Context, _ peer.ID, _ []byte) ([]byte,
		error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	server.Handle(hugeProtocol, func(context.Context, peer.ID, []byte) ([]byte, error) {
		return make([]byte, DefaultMaxMessageSize+1), nil
	})

	t.Run("handler error", func(t *testing.T) {
		_, err := caller.Call(context.Background(), server.ID(), failProtocol, nil)
		var remote *RemoteError
		if !errors.As(err, &remote) {
			t.Fatalf("error %v, expected a *RemoteError", err)
		}
		if remote.Message != "not the leader" {
			t.Errorf("remote message %q, expected %q", remote.Message, "not the leader")
		}
		if remote.Peer != server.ID() {
			t.Errorf("remote peer %s, expected %s", remote.Peer, server.ID())
		}
	})

	t.Run("handler panic", func(t *testing.T) {
		_, err := caller.Call(context.Background(), server.ID(), panicProtocol, nil)
		var remote *RemoteError
		if !errors.As(err, &remote) || !strings.Contains(remote.Message, "panicked") {
			t.Fatalf("error %v, expected a *RemoteError about the panic", err)
		}
	})

	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := caller.Call(ctx, server.ID(), slowProtocol, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error %v, expected context.DeadlineExceeded", err)
		}
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Errorf("call returned after %s, deadline was 300ms", elapsed)
		}
	})

	t.Run("request too large", func(t *testing.T) {
		_, err := caller.Call(context.Background(), server.ID(), echoProtocol,
			make([]byte, DefaultMaxMessageSize+1))
		if !errors.Is(err, ErrFrameTooLarge) {
			t.Errorf("error %v, expected ErrFrameTooLarge", err)
		}
	})

	t.Run("response too large", func(t *testing.T) {
		_, err := caller.Call(context.Background(), server.ID(), hugeProtocol, nil)
		var remote *RemoteError
		if !errors.As(err, &remote) || !strings.Contains(remote.Message, "too large") {
			t.Errorf("error %v, expected a *RemoteError about the size", err)
		}
	})

	t.Run("unknown protocol", func(t *testing.T) {
		_, err := caller.Call(context.Background(), server.ID(), "/omotenashi/test/none", nil)
		if err == nil {
			t.Error("call of an unregistered protocol succeeded")
		}
	})
}

func TestHost_OversizeRequestFromPeer(t *testing.T) {
	key := mustMeshKey(t)
	caller := mustHost(t, key)
	server := mustHost(t, key)
	mustIntroduce(t, caller, server)
	served := handleEcho(server)

	// Write a header that announces more than the server's limit, bypassing Call's
	// own check, and read the server's error frame.
	stream, err := caller.host.NewStream(context.Background(), server.ID(), echoProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	header := frameBytes(frameRequest, DefaultMaxMessageSize+1, nil)
	if _, err := stream.Write(header); err != nil {
		t.Fatal(err)
	}

	kind, body, err := readFrame(stream, DefaultMaxMessageSize)
	if err != nil {
		t.Fatalf("read reply: %v", err)
	}
	if kind != frameError {
		t.Errorf("reply kind %d, expected an error frame (%d)", kind, frameError)
	}
	if !bytes.Contains(body, []byte("too large")) {
		t.Errorf("reply %q, expected a message about the size", body)
	}
	if served.Load() != 0 {
		t.Errorf("handler ran for an oversize request")
	}
}

func TestHost_DisallowDisconnects(t *testing.T) {
	key := mustMeshKey(t)
	a := mustHost(t, key)
	b := mustHost(t, key)
	mustIntroduce(t, a, b)
	handleEcho(b)

	if _, err := a.Call(context.Background(), b.ID(), echoProtocol, nil); err != nil {
		t.Fatalf("call before disallow: %v", err)
	}
	b.Disallow(a.ID())

	waitFor(t, 2*time.Second, "connection to close", func() bool {
		return b.host.Network().Connectedness(a.ID()) != network.Connected
	})
	if _, err := a.Call(context.Background(), b.ID(), echoProtocol, nil); err == nil {
		t.Error("call after disallow succeeded")
	}
}

func TestHost_ClosedCall(t *testing.T) {
	key := mustMeshKey(t)
	a := mustHost(t, key)
	b := mustHost(t, key)
	mustIntroduce(t, a, b)

	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Call(context.Background(), b.ID(), echoProtocol, nil); !errors.Is(err,
		ErrClosed) {
		t.Errorf("call after close: error %v, expected ErrClosed", err)
	}
}

func TestHostConfig_Validate(t *testing.T) {
	valid := LoopbackHostConfig()
	valid.Identity = mustIdentity(t)
	valid.MeshKey = mustMeshKey(t)
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}

	cases := []struct {
		name   string
		change func(*HostConfig)
	}{
		{"quic address", func(c *HostConfig) {
			c.ListenAddrs = []string{"/ip4/127.0.0.1/udp/0/quic-v1"}
		}},
		{"websocket address", func(c *HostConfig) {
			c.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0/ws"}
		}},
		{"bad multiaddr", func(c *HostConfig) { c.ListenAddrs = []string{"127.0.0.1:4001"} }},
		{"no listen address", func(c *HostConfig) { c.ListenAddrs = nil }},
		{"missing identity", func(c *HostConfig) { c.Identity = nil }},
		{"short mesh key", func(c *HostConfig) { c.MeshKey = c.MeshKey[:16] }},
		{"zero message size", func(c *HostConfig) { c.MaxMessageSize = 0 }},
		{"zero call timeout", func(c *HostConfig) { c.CallTimeout = 0 }},
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
