package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/node"
)

// testNode is a node serving on a loopback port, with its manager token.
type testNode struct {
	url   string
	token string
}

// mustStartNode opens a node in a temporary folder, serves it on 127.0.0.1 and stops it
// when the test ends.
func mustStartNode(t *testing.T) testNode {
	t.Helper()
	cfg := node.DefaultConfig(t.TempDir())
	cfg.ModelDir = testassets.ModelDir(t)
	cfg.ONNXModelDir, cfg.ONNXLibrary = testassets.ONNXModelDir(t)
	cfg.Workers = 2
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))

	n, err := node.Open(cfg)
	if err != nil {
		t.Fatalf("open node: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		n.Close()
	})

	token, err := os.ReadFile(filepath.Join(cfg.DataDir, node.AdminTokenFile))
	if err != nil {
		t.Fatalf("read admin token: %v", err)
	}
	return testNode{url: "http://" + ln.Addr().String(), token: strings.TrimSpace(string(token))}
}

// run runs the command args against the node with its manager token and returns its
// output. The --node and --token flags go right after the verb, or after the action word
// of a verb that has one (args[1] when args[0] is "token").
func (tn testNode) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	at := 1
	if args[0] == "token" && len(args) > 1 {
		at = 2
	}
	full := append([]string{}, args[:at]...)
	full = append(full, "--node", tn.url, "--token", tn.token)
	full = append(full, args[at:]...)

	var out bytes.Buffer
	err := dispatch(context.Background(), full, &out)
	return out.String(), err
}

// mustRun is run failing the test on an error.
func (tn testNode) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := tn.run(t, args...)
	if err != nil {
		t.Fatalf("omotenashi %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// tableRow returns the fields of the first line of table whose first field is key, or nil.
func tableRow(table, key string) []string {
	for line := range strings.Lines(table) {
		fields := strings.Fields(line)
		if len(fields) > 0 && fields[0] == key {
			return fields
		}
	}
	return nil
}

func TestCustomers_TableAndJSON(t *testing.T) {
	tn := mustStartNode(t)
	enrolled := tn.mustRun(t, "enroll", "--name", "Aiko Tanaka", "--consent", "brand",
		"--address", "Ms Tanaka", "../../vision/testdata/face.jpg")
	var client struct{ ID string }
	if err := json.Unmarshal([]byte(enrolled), &client); err != nil || client.ID == "" {
		t.Fatalf("enroll output %q has no id: %v", enrolled, err)
	}

	table := tn.mustRun(t, "customers", "Tanaka")
	if !strings.HasPrefix(table, "ID") || !strings.Contains(table, "CONSENT") {
		t.Errorf("no table header in %q", table)
	}
	row := tableRow(table, client.ID)
	want := []string{client.ID, "Aiko", "Tanaka", "Ms", "Tanaka", "brand"}
	if strings.Join(row, " ") != strings.Join(want, " ") {
		t.Errorf("row %q, want %q", row, want)
	}
	if !strings.Contains(table, "clients found: 1\n") {
		t.Errorf("no count of clients in %q", table)
	}

	none := tn.mustRun(t, "customers", "Dubois")
	if !strings.Contains(none, "clients found: 0\n") || strings.Contains(none, client.ID) {
		t.Errorf("search for another name printed %q", none)
	}

	raw := tn.mustRun(t, "customers", "--json", "Tanaka")
	var out struct {
		Customers []struct{ ID, Name string }
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, raw)
	}
	if len(out.Customers) != 1 || out.Customers[0].ID != client.ID {
		t.Errorf("--json customers %+v, want her alone", out.Customers)
	}
}

func TestStatus_SummaryAndJSON(t *testing.T) {
	tn := mustStartNode(t)

	summary := tn.mustRun(t, "status")
	wantLines := map[string]string{
		"store":         "store  boutique",
		"engine":        "engine " + node.EngineONNX + ", 2 workers",
		"clients":       "clients 0 recognizable, 0 descriptors",
		"camera":        "camera none",
		"event streams": "event streams 0",
	}
	for key, want := range wantLines {
		t.Run(key, func(t *testing.T) {
			line := lineStarting(summary, key+" ")
			if strings.Join(strings.Fields(line), " ") != strings.Join(strings.Fields(want), " ") {
				t.Errorf("line %q, want %q in\n%s", line, want, summary)
			}
		})
	}
	if strings.Contains(summary, "{") {
		t.Errorf("summary contains JSON:\n%s", summary)
	}

	raw := tn.mustRun(t, "status", "--json")
	var st node.Status
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, raw)
	}
	if st.Store != "boutique" || st.Engine != node.EngineONNX {
		t.Errorf("--json status %+v", st)
	}
}

// lineStarting returns the first line of text that starts with prefix, or "".
func lineStarting(text, prefix string) string {
	for line := range strings.Lines(text) {
		if strings.HasPrefix(line, prefix) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}
