package testnet

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"
)

// Report is the record of a run. Write stores it as report.json and lag.svg.
type Report struct {
	Scenario    string    `json:"scenario"`
	Description string    `json:"description"`
	Started     time.Time `json:"started"`
	DurationMS  float64   `json:"duration_ms"`
	Engine      string    `json:"engine"`
	Profile     string    `json:"profile"`
	WAN         WANReport `json:"wan"`
	// GroupsFormedMS is when every node first saw every Raft group complete.
	GroupsFormedMS float64            `json:"groups_formed_ms,omitempty"`
	Nodes          []NodeReport       `json:"nodes"`
	Steps          []StepReport       `json:"steps"`
	Recognizable   []*Recognizability `json:"recognizable"`
	// RecognizableAllP99MS is the p99, over tracked enrollments, of the time until every
	// node of her scope recognized her (or held her profile, for untracked identify).
	RecognizableAllMS Percentiles    `json:"recognizable_all_ms"`
	Lag               LagReport      `json:"lag"`
	Writes            WriteReport    `json:"writes"`
	Leaders           []LeaderChange `json:"leaders,omitempty"`
	// EnrollRate is enrollments per second in enroll-many steps.
	EnrollRate float64  `json:"enroll_rate,omitempty"`
	Failures   []string `json:"failures"`
}

// WANReport is the simulation of the WAN between regions and the delays measured.
type WANReport struct {
	// Simulated is true when the nodes ran with --wan, which simulates the WAN in the mesh
	// transport. It is false when the binary lacks the flag, so every region was on
	// plain loopback.
	Simulated  bool `json:"simulated"`
	Configured WAN  `json:"configured"`
	// Emulated lists partitions done with SIGSTOP because the binary lacks --wan.
	Emulated []string `json:"emulated,omitempty"`
	// Measured is the extra one-way delay between regions, estimated from purchase lag.
	Measured []RegionLatency `json:"measured,omitempty"`
	Method   string          `json:"method"`
}

// RegionLatency is the estimated delay from the Raft leader's region to another region:
// the median purchase lag to nodes of To minus the median lag at the leader itself, which
// applies a write first. It is about one one-way trip plus the time until the leader
// sends the commit index, not a ping.
type RegionLatency struct {
	From         string  `json:"from"`
	To           string  `json:"to"`
	LeaderMS     float64 `json:"leader_median_ms"`
	ToMS         float64 `json:"to_median_ms"`
	ExtraMS      float64 `json:"extra_ms"`
	ConfiguredMS float64 `json:"configured_one_way_ms"`
	Samples      int     `json:"samples"`
}

// NodeReport is one node: its place in the topology, its usage at the end of the run and
// the arrivals it announced.
type NodeReport struct {
	NodeSpec
	RSSKiB     int64    `json:"rss_kib"`
	PeakRSSKiB int64    `json:"peak_rss_kib"`
	CPUSeconds float64  `json:"cpu_seconds"`
	Running    bool     `json:"running"`
	Arrivals   []string `json:"arrivals,omitempty"`
}

// StepReport is one step: when it started, how long it took, and what each node
// announced meanwhile.
type StepReport struct {
	Index  int                 `json:"index"`
	Do     string              `json:"do"`
	Args   string              `json:"args"`
	Note   string              `json:"note,omitempty"`
	AtMS   float64             `json:"at_ms"`
	TookMS float64             `json:"took_ms"`
	OK     bool                `json:"ok"`
	Error  string              `json:"error,omitempty"`
	Seen   map[string][]string `json:"seen,omitempty"`
}

// Recognizability is, for one enrollment, the time from the enroll request until each
// node of her scope held her profile and recognized her photo.
type Recognizability struct {
	Client       string             `json:"client"`
	Home         string             `json:"home"`
	Scope        string             `json:"scope"`
	AtMS         float64            `json:"at_ms"`
	ReplicaMS    map[string]float64 `json:"replica_ms"`
	RecognizedMS map[string]float64 `json:"recognized_ms,omitempty"`
	// AllMS is the time until the last node of her scope reached her, 0 if one never did.
	AllMS float64 `json:"all_ms"`
	// Probe is identify (recognition checked with /v1/identify) or replica (profile read).
	Probe string `json:"probe"`
}

func (rec *Recognizability) finish(scopeSize int, identify bool) {
	times := rec.ReplicaMS
	rec.Probe = "replica"
	if identify {
		times, rec.Probe = rec.RecognizedMS, "identify"
	}
	if len(times) < scopeSize {
		return
	}
	for _, v := range times {
		rec.AllMS = max(rec.AllMS, v)
	}
}

// LagSample is the time from a write's request until one node held it.
type LagSample struct {
	AtMS float64 `json:"at_ms"`
	Kind string  `json:"kind"`
	From string  `json:"from_region"`
	To   string  `json:"to_region"`
	Node string  `json:"node"`
	// Leader is the group's leader when a purchase was timed, as a node outside any outage
	// saw it.
	Leader string  `json:"leader,omitempty"`
	MS     float64 `json:"ms"`
}

// LagReport is the replication lag of every write the run timed.
type LagReport struct {
	All      Percentiles `json:"all_ms"`
	Enroll   Percentiles `json:"enroll_ms"`
	Purchase Percentiles `json:"purchase_ms"`
	// PollMS is the probes' polling interval, the resolution of every lag.
	PollMS  float64     `json:"poll_ms"`
	Samples []LagSample `json:"samples"`
}

// Percentiles summarizes a set of durations in milliseconds.
type Percentiles struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// WriteReport counts purchases: how many the API acknowledged with 201 or 202, and over every node
// checked, how many were missing (lost) or applied more than once (duplicated).
type WriteReport struct {
	Acknowledged int `json:"acknowledged"`
	Queued       int `json:"queued"`
	Unanswered   int `json:"unanswered"`
	Checks       int `json:"node_checks"`
	Lost         int `json:"lost"`
	Duplicated   int `json:"duplicated"`
}

func (w *WriteReport) add(checked, lost, dup int) {
	w.Checks += checked
	w.Lost += lost
	w.Duplicated += dup
}

func (w *WriteReport) count(statuses map[string]int) {
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			w.Acknowledged++
		case http.StatusAccepted:
			w.Queued++
		default:
			w.Unanswered++
		}
	}
}

// LeaderChange is a leader that an expect-leader step found.
type LeaderChange struct {
	Group  string  `json:"group"`
	Leader string  `json:"leader"`
	Region string  `json:"region"`
	AtMS   float64 `json:"at_ms"`
}

func newReport(sc *Scenario, started time.Time) *Report {
	return &Report{Scenario: sc.Name, Description: sc.Description, Started: started,
		Engine: sc.Engine, Profile: sc.Profile, WAN: WANReport{Configured: sc.WAN},
		Failures: []string{}}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// percentiles returns nearest-rank percentiles of values.
func percentiles(values []float64) Percentiles {
	if len(values) == 0 {
		return Percentiles{}
	}
	sorted := slices.Clone(values)
	sort.Float64s(sorted)
	rank := func(p float64) float64 {
		i := int(p*float64(len(sorted))+0.999999) - 1
		return sorted[min(max(i, 0), len(sorted)-1)]
	}
	return Percentiles{N: len(sorted), P50: rank(0.5), P90: rank(0.9), P99: rank(0.99),
		Max: sorted[len(sorted)-1]}
}

// finish fills the report's summaries from what the run recorded, while the nodes still
// run so that their usage can be read.
func (r *runner) finish() {
	rep := r.report
	rep.DurationMS = ms(time.Since(r.started))
	r.mu.Lock()
	defer r.mu.Unlock()

	r.fillNodes()
	r.fillSteps()
	rep.Lag.Samples = r.lags
	rep.Lag.PollMS = ms(r.pollInterval())
	var all, enroll, purchase, recog []float64
	for _, s := range r.lags {
		all = append(all, s.MS)
		if s.Kind == "enroll" {
			enroll = append(enroll, s.MS)
		} else {
			purchase = append(purchase, s.MS)
		}
	}
	rep.Lag.All, rep.Lag.Enroll, rep.Lag.Purchase =
		percentiles(all), percentiles(enroll), percentiles(purchase)
	for _, rec := range rep.Recognizable {
		if rec.AllMS > 0 {
			recog = append(recog, rec.AllMS)
		}
	}
	rep.RecognizableAllMS = percentiles(recog)
	regionOf := map[string]string{}
	for _, p := range r.nodes {
		regionOf[p.spec.Name] = p.spec.Region
	}
	rep.WAN.Measured = regionLatencies(r.lags, r.sc.WAN, regionOf)
	rep.WAN.Method = "Each measure-lag write is a purchase recorded in one region; its " +
		"lag to a node is the time from the request until GET /v1/customers/{id} on that " +
		"node lists it, polled every " + r.pollInterval().String() + ". The delay from " +
		"the leader's region to region B is the median lag to B's nodes minus the " +
		"median lag at the leader, which applies each write first: about one one-way " +
		"trip plus the wait for the next message carrying the commit index, not a ping."
}

func (r *runner) fillNodes() {
	for _, p := range r.nodes {
		nr := NodeReport{NodeSpec: p.spec, Running: p.running(),
			PeakRSSKiB: r.peakRSS[p.spec.Name]}
		if u, err := readUsage(p.pid()); err == nil {
			nr.RSSKiB, nr.CPUSeconds = u.RSSKiB, u.CPUSeconds
			nr.PeakRSSKiB = max(nr.PeakRSSKiB, u.RSSKiB)
		}
		for _, s := range r.arrivals {
			if s.node == p.spec.Name {
				nr.Arrivals = append(nr.Arrivals, fmt.Sprintf("%.1fs %s", s.at.Sub(
					r.started).Seconds(), arrivalText(s)))
			}
		}
		r.report.Nodes = append(r.report.Nodes, nr)
	}
}

// fillSteps lists, for each step, the arrivals each node announced from its start to the
// next step's start.
func (r *runner) fillSteps() {
	steps := r.report.Steps
	for i := range steps {
		from := r.started.Add(time.Duration(steps[i].AtMS * float64(time.Millisecond)))
		to := time.Now()
		if i+1 < len(steps) {
			to = r.started.Add(time.Duration(steps[i+1].AtMS * float64(time.Millisecond)))
		}
		for _, s := range r.arrivals {
			if s.at.Before(from) || !s.at.Before(to) {
				continue
			}
			if steps[i].Seen == nil {
				steps[i].Seen = map[string][]string{}
			}
			steps[i].Seen[s.node] = append(steps[i].Seen[s.node], arrivalText(s))
		}
	}
}

func arrivalText(s seenArrival) string {
	switch {
	case s.a.Customer != nil:
		return fmt.Sprintf("%s %s (%d purchases on the card)", s.a.Decision, s.a.Customer.Name,
			len(s.a.Customer.RecentPurchases))
	case len(s.a.Candidates) > 0:
		return fmt.Sprintf("%s, candidate %s", s.a.Decision, s.a.Candidates[0].Name)
	}
	return s.a.Decision
}

// regionLatencies estimates the delay from the leader's region to each other region
// from purchase lag samples, per leader.
func regionLatencies(samples []LagSample, wan WAN, regionOf map[string]string) []RegionLatency {
	atLeader := map[string][]float64{}
	byRegion := map[[2]string][]float64{}
	for _, s := range samples {
		if s.Kind != "purchase" || s.Leader == "" {
			continue
		}
		if s.Node == s.Leader {
			atLeader[s.Leader] = append(atLeader[s.Leader], s.MS)
			continue
		}
		key := [2]string{s.Leader, s.To}
		byRegion[key] = append(byRegion[key], s.MS)
	}
	var out []RegionLatency
	for key, lags := range byRegion {
		leaderLags, ok := atLeader[key[0]]
		from := regionOf[key[0]]
		if !ok || from == key[1] {
			continue
		}
		l, t := percentiles(leaderLags).P50, percentiles(lags).P50
		out = append(out, RegionLatency{From: from, To: key[1], LeaderMS: l, ToMS: t,
			ExtraMS: t - l, ConfiguredMS: wan.oneWayMS(from, key[1]), Samples: len(lags)})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].From+out[i].To < out[j].From+out[j].To
	})
	return out
}

// Write stores report.json and lag.svg in dir.
func (rep *Report) Write(dir string) error {
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.json"), data, 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lag.svg"), lagSVG(rep.Lag.Samples), 0o644); err != nil {
		return fmt.Errorf("write lag plot: %w", err)
	}
	return nil
}
