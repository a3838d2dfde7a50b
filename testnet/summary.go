package testnet

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Summarize writes a readable summary of the report.
func (rep *Report) Summarize(w io.Writer) {
	fmt.Fprintf(w, "\nScenario %s: %s\n", rep.Scenario, rep.Description)
	fmt.Fprintf(w, "%d nodes, engine %s, Raft profile %s, %.1f s\n", len(rep.Nodes),
		rep.Engine, rep.Profile, rep.DurationMS/1000)
	rep.summarizeWAN(w)

	fmt.Fprintln(w, "\nSteps:")
	for _, s := range rep.Steps {
		mark := "ok  "
		if !s.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "  %s %2d %7.1fs %-20s %s\n", mark, s.Index, s.AtMS/1000, s.Do, s.Args)
		if s.Error != "" {
			fmt.Fprintf(w, "              %s\n", s.Error)
		}
		for _, name := range sortedKeys(s.Seen) {
			fmt.Fprintf(w, "              %s saw: %s\n", name, strings.Join(s.Seen[name], "; "))
		}
	}

	rep.summarizeTimes(w)
	rep.summarizeNodes(w)
	if len(rep.Failures) == 0 {
		fmt.Fprintln(w, "\nEvery expectation held.")
		return
	}
	fmt.Fprintf(w, "\n%d failures:\n", len(rep.Failures))
	for _, f := range rep.Failures {
		fmt.Fprintf(w, "  %s\n", f)
	}
}

func (rep *Report) summarizeWAN(w io.Writer) {
	if rep.WAN.Simulated {
		fmt.Fprintln(w, "WAN: simulated in the mesh transport (--wan), configured",
			rep.WAN.Configured.LatencyMS)
	} else {
		fmt.Fprintln(w, "WAN: NOT simulated: the binary has no --wan flag, every region "+
			"is on loopback")
	}
	for _, e := range rep.WAN.Emulated {
		fmt.Fprintln(w, "  "+e)
	}
	for _, m := range rep.WAN.Measured {
		fmt.Fprintf(w, "  leader in %s -> %s: %.0f ms later than at the leader (median "+
			"lag %.0f ms against %.0f ms; configured one-way %.0f ms; %d samples)\n", m.From,
			m.To, m.ExtraMS, m.ToMS, m.LeaderMS, m.ConfiguredMS, m.Samples)
	}
}

func (rep *Report) summarizeTimes(w io.Writer) {
	fmt.Fprintln(w, "\nTime from enrollment until recognizable, per node (ms):")
	shown := 0
	for _, rec := range rep.Recognizable {
		if rec.Probe != "identify" || shown == 10 {
			continue
		}
		shown++
		fmt.Fprintf(w, "  %s (%s, from %s): all in %.0f ms;", rec.Client, rec.Scope,
			rec.Home, rec.AllMS)
		for _, name := range sortedKeys(rec.RecognizedMS) {
			fmt.Fprintf(w, " %s %.0f", name, rec.RecognizedMS[name])
		}
		fmt.Fprintln(w)
	}
	p := rep.RecognizableAllMS
	fmt.Fprintf(w, "  until every node of her scope: n=%d p50 %.0f p90 %.0f p99 %.0f ms\n",
		p.N, p.P50, p.P90, p.P99)
	for _, x := range []struct {
		name string
		p    Percentiles
	}{{"all", rep.Lag.All}, {"enroll", rep.Lag.Enroll}, {"purchase", rep.Lag.Purchase}} {
		fmt.Fprintf(w, "Replication lag, %-8s n=%d p50 %.0f p90 %.0f p99 %.0f max %.0f ms "+
			"(polled every %.0f ms)\n", x.name, x.p.N, x.p.P50, x.p.P90, x.p.P99, x.p.Max,
			rep.Lag.PollMS)
	}
	wr := rep.Writes
	fmt.Fprintf(w, "Writes: %d answered 201, %d answered 202, %d unanswered; over %d node "+
		"checks %d lost, %d duplicated\n", wr.Acknowledged, wr.Queued, wr.Unanswered,
		wr.Checks, wr.Lost, wr.Duplicated)
}

func (rep *Report) summarizeNodes(w io.Writer) {
	fmt.Fprintln(w, "\nNodes (VmRSS at the end, peak, CPU utime+stime):")
	var total, peak int64
	for _, n := range rep.Nodes {
		total += n.RSSKiB
		peak = max(peak, n.PeakRSSKiB)
		if len(rep.Nodes) > 12 {
			continue
		}
		fmt.Fprintf(w, "  %-14s %-8s %-8s %-5s %6.0f MiB peak %6.0f MiB cpu %6.1f s, "+
			"%d arrivals\n", n.Name, n.Brand, n.Group, n.Region, float64(n.RSSKiB)/1024,
			float64(n.PeakRSSKiB)/1024, n.CPUSeconds, len(n.Arrivals))
	}
	if len(rep.Nodes) > 0 {
		fmt.Fprintf(w, "  mean %.0f MiB per node, max peak %.0f MiB\n",
			float64(total)/1024/float64(len(rep.Nodes)), float64(peak)/1024)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
