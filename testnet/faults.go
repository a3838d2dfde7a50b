package testnet

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// regions returns the regions of the topology in order of first appearance.
func (r *runner) regions() []string {
	var out []string
	for _, p := range r.nodes {
		if !slices.Contains(out, p.spec.Region) {
			out = append(out, p.spec.Region)
		}
	}
	return out
}

// partition cuts region off from every other region through the WAN file. When the
// binary has no --wan flag, it pauses the region's nodes with SIGSTOP instead, which cuts
// them off just as well but also stops them from taking writes. The report lists the emulated partitions.
func (r *runner) partition(region string) error {
	if !slices.Contains(r.regions(), region) {
		return fmt.Errorf("no node in region %q", region)
	}
	if r.wanOn {
		return r.wan.isolate(region, r.regions())
	}
	r.report.WAN.Emulated = append(r.report.WAN.Emulated, fmt.Sprintf(
		"partition of %s emulated with SIGSTOP of its nodes (the binary has no --wan)", region))
	for _, p := range r.nodes {
		if p.spec.Region == region {
			p.pause()
		}
	}
	return nil
}

// heal removes every partition and resumes paused nodes.
func (r *runner) heal() error {
	for _, p := range r.nodes {
		p.resume()
	}
	return r.wan.heal()
}

func (r *runner) crash(st Step) error {
	p, err := r.node(st.Node)
	if err != nil {
		return err
	}
	if !p.running() {
		return fmt.Errorf("node %s is not running", p.spec.Name)
	}
	p.kill()
	return nil
}

func (r *runner) restart(st Step) error {
	p, err := r.node(st.Node)
	if err != nil {
		return err
	}
	if p.running() {
		return fmt.Errorf("node %s is still running", p.spec.Name)
	}
	return r.startOne(p)
}

// startOutage darkens the region of group's leader: by partition (mode "partition", the
// default) or by SIGKILL of its nodes (mode "crash").
func (r *runner) startOutage(st Step) error {
	if r.outage != nil {
		return errors.New("an outage is already in progress")
	}
	leader, err := r.leaderOf(st.Group)
	if err != nil {
		return err
	}
	o := &outage{region: leader.spec.Region, mode: st.Mode}
	if o.mode == "" {
		o.mode = "partition"
	}
	for _, p := range r.nodes {
		if p.spec.Region == o.region {
			o.nodes = append(o.nodes, p)
		}
	}
	r.outage = o
	r.logf("outage of region %s (leader %s of %s), mode %s", o.region, leader.spec.Name,
		st.Group, o.mode)
	switch o.mode {
	case "partition":
		return r.partition(o.region)
	case "crash":
		for _, p := range o.nodes {
			p.kill()
		}
		return nil
	}
	return fmt.Errorf("outage mode %q: want partition or crash", o.mode)
}

// endOutage heals the partition or restarts the crashed nodes.
func (r *runner) endOutage() error {
	o := r.outage
	if o == nil {
		return errors.New("no outage is in progress")
	}
	r.outage = nil
	if o.mode == "partition" {
		return r.heal()
	}
	for _, p := range o.nodes {
		if err := r.startOne(p); err != nil {
			return err
		}
	}
	return nil
}

// leaderOf returns the node that the first reachable node outside any outage reports as
// group's leader.
func (r *runner) leaderOf(group string) (*nodeProcess, error) {
	for _, p := range r.nodes {
		if !p.reachable() || (r.outage != nil && slices.Contains(r.outage.nodes, p)) {
			continue
		}
		st, err := p.meshStatus()
		if err != nil {
			continue
		}
		for _, g := range st.Groups {
			if g.Group == group && g.Leader != "" {
				if leader, ok := r.byName[g.Leader]; ok {
					return leader, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("no node knows a leader of %s", group)
}

// expectedMembers returns how many nodes belong to a Raft group such as brand:maison.
func (r *runner) expectedMembers(group string) int {
	count := 0
	for _, p := range r.nodes {
		if group == "brand:"+p.spec.Brand || group == "group:"+p.spec.Group {
			count++
		}
	}
	return count
}

// waitGroups waits until every reachable node sees a leader and every member in each of
// its Raft groups.
func (r *runner) waitGroups(within time.Duration) error {
	deadline := time.Now().Add(within)
	var last string
	for time.Now().Before(deadline) {
		last = r.groupsIncomplete()
		if last == "" {
			r.report.GroupsFormedMS = ms(time.Since(r.started))
			return nil
		}
		if err := r.sleep(500 * time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("groups not formed within %s: %s", within, last)
}

// groupsIncomplete returns what the first node with an incomplete view lacks, or "".
func (r *runner) groupsIncomplete() string {
	for _, p := range r.nodes {
		if !p.reachable() {
			continue
		}
		st, err := p.meshStatus()
		if err != nil {
			return err.Error()
		}
		if len(st.Groups) < 2 {
			return fmt.Sprintf("%s runs %d groups, want 2", p.spec.Name, len(st.Groups))
		}
		for _, g := range st.Groups {
			want := r.expectedMembers(g.Group)
			if g.Leader == "" || len(g.Members) != want {
				return fmt.Sprintf("%s sees %s with leader %q and %d of %d members",
					p.spec.Name, g.Group, g.Leader, len(g.Members), want)
			}
		}
	}
	return ""
}
