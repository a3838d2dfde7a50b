package testnet

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// pollInterval is how often lag probes read a node: 25 ms, longer in large topologies so
// that probes do not take the CPU the nodes need.
func (r *runner) pollInterval() time.Duration {
	return max(25*time.Millisecond, time.Duration(len(r.nodes))*2*time.Millisecond)
}

// trackRecognizable measures, in the background, when each node of the client's scope
// first holds her profile and, with identify, first recognizes her photo.
func (r *runner) trackRecognizable(c *client, identify bool) {
	rec := &Recognizability{Client: c.key, Home: c.home.spec.Name, Scope: c.scope,
		AtMS: ms(c.enrolledAt.Sub(r.started)), ReplicaMS: map[string]float64{},
		RecognizedMS: map[string]float64{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range r.scopeNodes(c.home, c.scope) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replica, recognized := r.probe(p, c, identify)
			mu.Lock()
			defer mu.Unlock()
			if replica > 0 {
				rec.ReplicaMS[p.spec.Name] = ms(replica)
				r.addLag(LagSample{AtMS: ms(c.enrolledAt.Sub(r.started)), Kind: "enroll",
					From: c.home.spec.Region, To: p.spec.Region, Node: p.spec.Name,
					MS: ms(replica)})
			}
			if recognized > 0 {
				rec.RecognizedMS[p.spec.Name] = ms(recognized)
			}
		}()
	}
	r.trackers.Add(1)
	go func() {
		defer r.trackers.Done()
		wg.Wait()
		rec.finish(len(r.scopeNodes(c.home, c.scope)), identify)
		r.mu.Lock()
		r.report.Recognizable = append(r.report.Recognizable, rec)
		r.mu.Unlock()
	}()
}

// probe polls one node until it holds the client's profile and, with identify, until it
// recognizes her. It returns both times since her enrollment, 0 for one not reached
// within a minute.
func (r *runner) probe(p *nodeProcess, c *client, identify bool) (time.Duration, time.Duration) {
	deadline := c.enrolledAt.Add(time.Minute)
	var replica, recognized time.Duration
	for replica == 0 && time.Now().Before(deadline) && r.ctx.Err() == nil {
		if status, _ := p.customer(c.id); status == http.StatusOK {
			replica = time.Since(c.enrolledAt)
			break
		}
		time.Sleep(r.pollInterval())
	}
	for identify && replica > 0 && time.Now().Before(deadline) && r.ctx.Err() == nil {
		if p.recognizes(c.photo, c.id) {
			recognized = time.Since(c.enrolledAt)
			break
		}
		if status, _ := p.customer(c.id); status != http.StatusOK {
			break // forgotten or narrowed before this node recognized her
		}
		time.Sleep(r.pollInterval())
	}
	return replica, recognized
}

func (r *runner) addLag(s LagSample) {
	r.mu.Lock()
	r.lags = append(r.lags, s)
	r.mu.Unlock()
}

// measureLag writes Writes purchases (default 5) from each From node (default: the first
// node of each region in her scope) and times when each node of her scope holds each.
func (r *runner) measureLag(st Step) error {
	c, ok := r.clients[st.Client]
	if !ok {
		return fmt.Errorf("client %s is not enrolled yet", st.Client)
	}
	scope := r.scopeNodes(c.home, c.scope)
	writers, err := r.writers(st.From, scope)
	if err != nil {
		return err
	}
	writes := st.Writes
	if writes == 0 {
		writes = 5
	}
	leader := ""
	if l, err := r.leaderOf(groupOf(c)); err == nil {
		leader = l.spec.Name
	}
	for _, w := range writers {
		for i := range writes {
			sku := fmt.Sprintf("LAG-%s-%d-%d", w.spec.Name, len(c.purchases), i)
			if err := r.timeWrite(c, w, scope, sku, leader); err != nil {
				return err
			}
		}
	}
	return nil
}

// groupOf returns the Raft group that replicates the client, "" for a store client.
func groupOf(c *client) string {
	switch c.scope {
	case "brand":
		return "brand:" + c.home.spec.Brand
	case "group":
		return "group:" + c.home.spec.Group
	}
	return ""
}

// writers returns the named nodes, or the first reachable node of each region of scope.
func (r *runner) writers(names []string, scope []*nodeProcess) ([]*nodeProcess, error) {
	var out []*nodeProcess
	for _, name := range names {
		p, err := r.node(name)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if len(out) > 0 {
		return out, nil
	}
	var regions []string
	for _, p := range scope {
		if p.reachable() && !slices.Contains(regions, p.spec.Region) {
			regions = append(regions, p.spec.Region)
			out = append(out, p)
		}
	}
	return out, nil
}

// timeWrite records one purchase at w and waits until every reachable node of scope
// holds it, adding a lag sample per node.
func (r *runner) timeWrite(c *client, w *nodeProcess, scope []*nodeProcess, sku,
	leader string) error {
	start := time.Now()
	status := w.purchase(c.id, sku)
	c.purchases[sku] = status
	if status != http.StatusCreated && status != http.StatusAccepted {
		return fmt.Errorf("purchase %s at %s: status %d", sku, w.spec.Name, status)
	}
	var wg sync.WaitGroup
	for _, p := range scope {
		if !p.reachable() {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < time.Minute && r.ctx.Err() == nil {
				if r.skuCounts(p, c.id)[sku] > 0 {
					r.addLag(LagSample{AtMS: ms(start.Sub(r.started)), Kind: "purchase",
						From: w.spec.Region, To: p.spec.Region, Node: p.spec.Name,
						Leader: leader, MS: ms(time.Since(start))})
					return
				}
				time.Sleep(r.pollInterval())
			}
		}()
	}
	wg.Wait()
	return nil
}

// sampleUsage records each node's peak resident memory every 2 s until the run ends.
func (r *runner) sampleUsage() {
	for r.ctx.Err() == nil {
		for _, p := range r.nodes {
			if u, err := readUsage(p.pid()); err == nil {
				r.mu.Lock()
				r.peakRSS[p.spec.Name] = max(r.peakRSS[p.spec.Name], u.RSSKiB)
				r.mu.Unlock()
			}
		}
		r.sleep(2 * time.Second)
	}
}

// usage is a process's resident memory and CPU time.
type usage struct {
	RSSKiB     int64
	CPUSeconds float64
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat: 100 on Linux
// on every architecture Go supports.
const clockTicks = 100

// readUsage reads VmRSS from /proc/PID/status and utime+stime from /proc/PID/stat.
func readUsage(pid int) (usage, error) {
	if pid == 0 {
		return usage{}, fmt.Errorf("process not running")
	}
	var u usage
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			u.RSSKiB, _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"),
				10, 64)
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, err
	}
	// The command name in brackets may contain spaces: fields count from after it.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(fields) < 13 {
		return u, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	u.CPUSeconds = (utime + stime) / clockTicks
	return u, nil
}
