package mesh

import "time"

// reconnectLoop tries every interval to join each member declared dead, until stop is
// closed. memberlist v0.5.4 never probes a dead member, and gossips to it only while
// broadcasts are pending and for GossipToTheDeadTime (30 s in its LAN profile) after its
// death (state.go). Without this loop, the two sides of a longer partition can stay
// apart after it heals, and a short one took up to 9 s to heal in the loopback tests.
func (g *Gossip) reconnectLoop(interval time.Duration, stop <-chan struct{}) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ticker.C:
		}

		for _, member := range g.state.members() {
			if member.Health != HealthDead {
				continue
			}
			select {
			case <-stop:
				return
			default:
			}
			g.rejoin(member)
		}
	}
}

// rejoin contacts one dead member. Failures are expected while it stays unreachable, so
// they are logged at debug level only.
func (g *Gossip) rejoin(member Member) {
	if _, err := g.list.Join([]string{member.Addr}); err != nil {
		g.log.Debug("dead member still unreachable", "member", member.Name,
			"addr", member.Addr, "error", err)
		return
	}
	g.log.Info("reached dead member again", "member", member.Name, "addr", member.Addr)
}
