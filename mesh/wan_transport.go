package mesh

import (
	"bytes"
	"fmt"
	"log"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/memberlist"
)

// wanTransport is memberlist's NetTransport with the WAN applied to what it sends:
// packets are delayed or dropped, and streams it opens are delayed or refused, by the
// region of the destination address.
type wanTransport struct {
	*memberlist.NetTransport
	wan    *WAN
	logger *log.Logger
	closed atomic.Bool
}

var _ memberlist.NodeAwareTransport = (*wanTransport)(nil)

// newWANTransport listens on cfg.BindAddr:cfg.BindPort for gossip. Like memberlist's own
// setup, it retries up to 10 times when port 0 picks a port whose UDP side is taken.
func newWANTransport(cfg GossipConfig, wan *WAN, logger *log.Logger) (*wanTransport,
	error) {
	attempts := 1
	if cfg.BindPort == 0 {
		attempts = 10
	}

	var err error
	for range attempts {
		var inner *memberlist.NetTransport
		inner, err = memberlist.NewNetTransport(&memberlist.NetTransportConfig{
			BindAddrs: []string{cfg.BindAddr},
			BindPort:  cfg.BindPort,
			Logger:    logger,
		})
		if err == nil {
			return &wanTransport{NetTransport: inner, wan: wan, logger: logger}, nil
		}
		if !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	return nil, fmt.Errorf("listen for gossip on %s:%d: %w", cfg.BindAddr, cfg.BindPort, err)
}

// WriteTo sends a packet to addr through WriteToAddress.
func (t *wanTransport) WriteTo(b []byte, addr string) (time.Time, error) {
	return t.WriteToAddress(b, memberlist.Address{Addr: addr})
}

// WriteToAddress drops the packet, sends it later or sends it now, as the WAN decides for
// the address's region. It returns the time of the call, so that memberlist's round-trip
// measurements include the delay.
func (t *wanTransport) WriteToAddress(b []byte, addr memberlist.Address) (time.Time,
	error) {
	now := time.Now()
	region := t.wan.region(wanDest{addr: addr.Addr})
	if t.wan.Drop(region) {
		return now, nil
	}

	delay := t.wan.Delay(region)
	if delay == 0 {
		return t.NetTransport.WriteToAddress(b, addr)
	}

	packet := bytes.Clone(b)
	time.AfterFunc(delay, func() {
		if t.closed.Load() {
			return
		}
		if _, err := t.NetTransport.WriteToAddress(packet, addr); err != nil {
			t.logger.Printf("[DEBUG] wan: delayed packet to %s failed: %v", addr.Addr, err)
		}
	})
	return now, nil
}

// DialTimeout opens a stream to addr through DialAddressTimeout.
func (t *wanTransport) DialTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	return t.DialAddressTimeout(memberlist.Address{Addr: addr}, timeout)
}

// DialAddressTimeout fails when the address's region is partitioned from this one, and
// otherwise returns a connection whose writes the WAN delays.
func (t *wanTransport) DialAddressTimeout(addr memberlist.Address,
	timeout time.Duration) (net.Conn, error) {
	region := t.wan.region(wanDest{addr: addr.Addr})
	if t.wan.Partitioned(region) {
		return nil, fmt.Errorf("dial gossip member %s in region %s: %w", addr.Addr, region,
			ErrPartitioned)
	}

	conn, err := t.NetTransport.DialAddressTimeout(addr, timeout)
	if err != nil {
		return nil, err
	}
	return t.wan.wrapConn(conn, addr.Addr), nil
}

// Shutdown discards the packets still waiting for their delay and closes the listeners.
func (t *wanTransport) Shutdown() error {
	if t.closed.Swap(true) {
		return nil
	}
	return t.NetTransport.Shutdown()
}
