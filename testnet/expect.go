package testnet

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

func (r *runner) expect(st Step) error {
	switch st.Do {
	case "expect-recognized":
		return r.expectRecognized(st)
	case "expect-unrecognized":
		return r.expectUnrecognized(st)
	case "expect-absent":
		return r.expectAbsent(st)
	case "expect-writes":
		return r.expectWrites(st)
	case "expect-leader":
		return r.expectLeader(st)
	case "expect-suggested":
		return r.expectSuggested(st)
	case "expect-not-suggested":
		return r.expectNotSuggested(st)
	}
	return fmt.Errorf("unknown action %q", st.Do)
}

// arrivalFor returns the first arrival at node since since that names id as the client
// or a candidate, and whether there is one.
func (r *runner) arrivalFor(nodeName, id string, since time.Time) (seenArrival, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.arrivals {
		if s.node != nodeName || s.at.Before(since) {
			continue
		}
		if s.a.Customer != nil && s.a.Customer.ID == id {
			return s, true
		}
		for _, c := range s.a.Candidates {
			if c.ID == id {
				return s, true
			}
		}
	}
	return seenArrival{}, false
}

// expectRecognized waits until the node's events announce the client after her last
// appearance there; with sku, the arrival's card must list that purchase.
func (r *runner) expectRecognized(st Step) error {
	c, p, err := r.clientAt(st)
	if err != nil {
		return err
	}
	since, ok := c.lastAppear[p.spec.Name]
	if !ok {
		return fmt.Errorf("%s never appeared at %s", c.key, p.spec.Name)
	}
	within := durationOr(st.Within, 10*time.Second)
	deadline := since.Add(within)
	var last error
	for time.Now().Before(deadline) {
		if s, ok := r.arrivalFor(p.spec.Name, c.id, since); ok {
			// An ambiguous arrival may be followed by a match on a later frame.
			if last = r.checkArrival(st, c, s, since); last == nil {
				return nil
			}
			since = s.at.Add(time.Nanosecond)
		}
		r.sleep(100 * time.Millisecond)
	}
	if last != nil {
		return last
	}
	return fmt.Errorf("%s not announced at %s within %s of her appearance", c.key,
		p.spec.Name, within)
}

func (r *runner) checkArrival(st Step, c *client, s seenArrival, since time.Time) error {
	r.logf("%s announced at %s after %s: %s", c.key, s.node, s.at.Sub(since).Round(
		time.Millisecond), s.a.Decision)
	if st.SKU == "" {
		return nil
	}
	if s.a.Customer == nil {
		return fmt.Errorf("arrival at %s is %s, not a match: no card to carry purchase %s",
			s.node, s.a.Decision, st.SKU)
	}
	for _, pu := range s.a.Customer.RecentPurchases {
		if pu.SKU == st.SKU {
			return nil
		}
	}
	return fmt.Errorf("arrival card at %s lacks purchase %s (has %d purchases)", s.node,
		st.SKU, len(s.a.Customer.RecentPurchases))
}

// expectUnrecognized waits For after her last appearance at the node, then checks that
// no event named her and that /v1/identify on her photo does not either.
func (r *runner) expectUnrecognized(st Step) error {
	c, p, err := r.clientAt(st)
	if err != nil {
		return err
	}
	since, ok := c.lastAppear[p.spec.Name]
	if !ok {
		since = time.Now()
	}
	r.sleep(time.Until(since.Add(durationOr(st.For, 5*time.Second))))
	if s, ok := r.arrivalFor(p.spec.Name, c.id, since); ok {
		return fmt.Errorf("%s announced at %s (%s)", c.key, p.spec.Name, s.a.Decision)
	}
	if p.recognizes(c.appears, c.id) {
		return fmt.Errorf("%s identified at %s", c.key, p.spec.Name)
	}
	return nil
}

// expectAbsent waits until the client's profile is 404 or 410 on the step's node, or on
// every node, then checks that her name is in no file of their data folders.
func (r *runner) expectAbsent(st Step) error {
	c, ok := r.clients[st.Client]
	if !ok {
		return fmt.Errorf("client %s is not enrolled yet", st.Client)
	}
	targets := r.nodes
	if st.Node != "" {
		p, err := r.node(st.Node)
		if err != nil {
			return err
		}
		targets = []*nodeProcess{p}
	}

	deadline := time.Now().Add(durationOr(st.Within, 30*time.Second))
	var problems []string
	for _, p := range targets {
		if !p.reachable() {
			problems = append(problems, p.spec.Name+" is not reachable")
			continue
		}
		status := 0
		for {
			status, _ = p.customer(c.id)
			if status == http.StatusNotFound || status == http.StatusGone ||
				time.Now().After(deadline) {
				break
			}
			r.sleep(200 * time.Millisecond)
		}
		if status != http.StatusNotFound && status != http.StatusGone {
			problems = append(problems, fmt.Sprintf("%s: profile status %d", p.spec.Name, status))
		}
		// The node overwrites its write-ahead log a moment after applying the forget, so
		// the files get until the same deadline.
		files := filesContaining(p.dir, c.name)
		for len(files) > 0 && time.Now().Before(deadline) {
			r.sleep(200 * time.Millisecond)
			files = filesContaining(p.dir, c.name)
		}
		if len(files) > 0 {
			problems = append(problems, fmt.Sprintf("%s: her name is in %s", p.spec.Name,
				strings.Join(files, ", ")))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s not absent: %s", c.key, strings.Join(problems, "; "))
	}
	return nil
}

// filesContaining returns the files under dir, relative to it, whose bytes contain text.
func filesContaining(dir, text string) []string {
	var found []string
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(text)) {
			rel, _ := filepath.Rel(dir, path)
			found = append(found, rel)
		}
		return nil
	})
	return found
}

// expectWrites waits until every purchase acknowledged with 201 or 202 is on every reachable node
// of the client's scope, then counts the purchases missing (lost) and present more than
// once (duplicated) on each.
func (r *runner) expectWrites(st Step) error {
	c, ok := r.clients[st.Client]
	if !ok {
		return fmt.Errorf("client %s is not enrolled yet", st.Client)
	}
	acked := ackedSKUs(c)
	deadline := time.Now().Add(durationOr(st.Within, time.Minute))
	var problems []string
	for _, p := range r.scopeNodes(c.home, c.scope) {
		if !p.reachable() {
			continue
		}
		var counts map[string]int
		for {
			counts = r.skuCounts(p, c.id)
			if len(missing(acked, counts)) == 0 || time.Now().After(deadline) {
				break
			}
			r.sleep(200 * time.Millisecond)
		}
		lost, dup := missing(acked, counts), duplicated(counts)
		r.report.Writes.add(len(acked), len(lost), len(dup))
		if len(lost) > 0 {
			problems = append(problems, fmt.Sprintf("%s lacks %v", p.spec.Name, lost))
		}
		if len(dup) > 0 {
			problems = append(problems, fmt.Sprintf("%s applied twice %v", p.spec.Name, dup))
		}
	}
	r.report.Writes.count(c.purchases)
	if len(problems) > 0 {
		return fmt.Errorf("writes of %s: %s", c.key, strings.Join(problems, "; "))
	}
	return nil
}

// ackedSKUs returns the SKUs whose writes were acknowledged with 201 or 202, sorted.
func ackedSKUs(c *client) []string {
	var out []string
	for sku, status := range c.purchases {
		if status == http.StatusCreated || status == http.StatusAccepted {
			out = append(out, sku)
		}
	}
	sort.Strings(out)
	return out
}

func (r *runner) skuCounts(p *nodeProcess, id string) map[string]int {
	counts := map[string]int{}
	_, cust := p.customer(id)
	if cust == nil {
		return counts
	}
	for _, pu := range cust.Purchases {
		counts[pu.SKU]++
	}
	return counts
}

func missing(acked []string, counts map[string]int) []string {
	var out []string
	for _, sku := range acked {
		if counts[sku] == 0 {
			out = append(out, sku)
		}
	}
	return out
}

func duplicated(counts map[string]int) []string {
	var out []string
	for sku, n := range counts {
		if n > 1 {
			out = append(out, sku)
		}
	}
	sort.Strings(out)
	return out
}

// expectLeader waits until a reachable node outside any outage sees a leader of the
// group that is itself outside the outage.
func (r *runner) expectLeader(st Step) error {
	within := durationOr(st.Within, 30*time.Second)
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		leader, err := r.leaderOf(st.Group)
		if err == nil && (r.outage == nil || !slices.Contains(r.outage.nodes, leader)) &&
			leader.reachable() {
			r.logf("leader of %s: %s (%s)", st.Group, leader.spec.Name, leader.spec.Region)
			r.report.Leaders = append(r.report.Leaders, LeaderChange{Group: st.Group,
				Leader: leader.spec.Name, Region: leader.spec.Region,
				AtMS: ms(time.Since(r.started))})
			return nil
		}
		r.sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("no reachable leader of %s outside the outage within %s", st.Group, within)
}
