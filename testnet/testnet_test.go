package testnet

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/internal/testassets"
)

// mustBuild builds the omotenashi binary into a temporary folder.
func mustBuild(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "omotenashi")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/omotenashi")
	cmd.Dir = testassets.Root()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build omotenashi: %v\n%s", err, out)
	}
	return bin
}

// TestBuiltins_Run plays the three small built-in scenarios against real node processes
// and checks that every expectation held and no write was lost or applied twice.
func TestBuiltins_Run(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes: skipped with -short")
	}
	testassets.ModelDir(t)
	testassets.ONNXModelDir(t)
	bin := mustBuild(t)
	for _, name := range []string{"traveling-vip", "consent-scopes", "sister-house"} {
		t.Run(name, func(t *testing.T) {
			sc, err := Load(name)
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			rep, err := Run(ctx, sc, Options{Bin: bin, Root: testassets.Root(), Out: out})
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if len(rep.Failures) > 0 {
				t.Errorf("failed expectations:\n%s", strings.Join(rep.Failures, "\n"))
			}
			if rep.Writes.Lost != 0 || rep.Writes.Duplicated != 0 {
				t.Errorf("writes lost %d, duplicated %d", rep.Writes.Lost, rep.Writes.Duplicated)
			}
			if len(rep.Recognizable) == 0 {
				t.Errorf("no enrollment was timed")
			}
			for _, n := range rep.Nodes {
				if n.RSSKiB <= 0 || n.CPUSeconds <= 0 {
					t.Errorf("node %s usage not read: %+v", n.Name, n)
				}
			}
			if err := rep.Write(out); err != nil {
				t.Fatal(err)
			}
			mustReadReport(t, filepath.Join(out, "report.json"))
		})
	}
}

func mustReadReport(t *testing.T, path string) Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return rep
}

// TestLoad_Builtins checks that every built-in scenario parses and validates.
func TestLoad_Builtins(t *testing.T) {
	names := List()
	if len(names) < 5 {
		t.Fatalf("built-in scenarios: %v, want at least five", names)
	}
	for _, name := range names {
		if _, err := Load(name); err != nil {
			t.Errorf("load %s: %v", name, err)
		}
	}
}

func TestParse_Rejects(t *testing.T) {
	cases := []struct{ name, json, want string }{
		{"no nodes", `{"name":"x","steps":[]}`, "no nodes"},
		{"unknown action", `{"nodes":[{"name":"a","brand":"b","group":"g","region":"r"}],
			"steps":[{"do":"fly"}]}`, "unknown action"},
		{"unknown node", `{"nodes":[{"name":"a","brand":"b","group":"g","region":"r"}],
			"steps":[{"do":"crash","node":"z"}]}`, "unknown node"},
		{"bad scope", `{"nodes":[{"name":"a","brand":"b","group":"g","region":"r"}],
			"clients":{"c":{"name":"C","photo":{"file":"sample1.jpg"}}},
			"steps":[{"do":"enroll","node":"a","client":"c","scope":"world"}]}`, "scope"},
		{"unknown field", `{"nodes":[],"stepz":[]}`, "unknown field"},
		{"bad duration", `{"nodes":[{"name":"a","brand":"b","group":"g","region":"r"}],
			"steps":[{"do":"wait","for":"soon"}]}`, "duration"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.json))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestGenerate_SpreadsNodes(t *testing.T) {
	sc, err := Load("scale")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Nodes) != 50 {
		t.Fatalf("%d nodes, want 50", len(sc.Nodes))
	}
	perRegion := map[string]int{}
	for _, n := range sc.Nodes {
		perRegion[n.Region]++
	}
	for region, count := range perRegion {
		if count != 10 {
			t.Errorf("region %s has %d nodes, want 10", region, count)
		}
	}
}

func TestPercentiles_NearestRank(t *testing.T) {
	var values []float64
	for i := 1; i <= 100; i++ {
		values = append(values, float64(i))
	}
	p := percentiles(values)
	if p.P50 != 50 || p.P90 != 90 || p.P99 != 99 || p.Max != 100 || p.N != 100 {
		t.Errorf("percentiles of 1..100: %+v", p)
	}
	if got := percentiles(nil); got.N != 0 {
		t.Errorf("percentiles of nothing: %+v", got)
	}
}

func TestWANFile_PartitionAndHeal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wan.json")
	f, err := newWANFile(path, WAN{LatencyMS: map[string]float64{"asia/eu": 80}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.isolate("eu", []string{"eu", "asia", "us"}); err != nil {
		t.Fatal(err)
	}
	var w WAN
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"asia", "eu"}, {"eu", "us"}}
	if len(w.Partitions) != 2 || w.Partitions[0] != want[0] || w.Partitions[1] != want[1] {
		t.Errorf("partitions %v, want %v", w.Partitions, want)
	}
	if w.LatencyMS["asia/eu"] != 80 {
		t.Errorf("latency lost: %v", w.LatencyMS)
	}
	if err := f.heal(); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	if !strings.Contains(string(data), `"partitions": []`) {
		t.Errorf("healed file still partitioned: %s", data)
	}
}

func TestReadUsage_Self(t *testing.T) {
	u, err := readUsage(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if u.RSSKiB <= 0 {
		t.Errorf("VmRSS %d KiB", u.RSSKiB)
	}
	if u.CPUSeconds < 0 {
		t.Errorf("CPU %f s", u.CPUSeconds)
	}
}

func TestLagSVG_Plots(t *testing.T) {
	svg := string(lagSVG([]LagSample{{AtMS: 1000, Kind: "enroll", MS: 120},
		{AtMS: 2000, Kind: "purchase", MS: 340}}))
	if !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<circle") != 2 {
		t.Errorf("plot of two samples:\n%s", svg)
	}
}

// A second run into the folder of an earlier one would start nodes on its data, where
// the clients are already enrolled; Run refuses it.
func TestRun_RefusesEarlierRunFolder(t *testing.T) {
	out := t.TempDir()
	if err := os.MkdirAll(filepath.Join(out, "nodes", "paris"), 0o755); err != nil {
		t.Fatal(err)
	}
	sc, err := Load("traveling-vip")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), sc, Options{Out: out})
	if err == nil || !strings.Contains(err.Error(), "earlier run") {
		t.Errorf("Run into an earlier run's folder: %v, want an error naming it", err)
	}
}
