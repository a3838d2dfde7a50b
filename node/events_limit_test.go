package node

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// openStream requests /v1/events with the node's token and returns the response. Its body
// stays open until the test ends or the caller closes it.
func openStream(t *testing.T, tn *testNode) *http.Response {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", tn.url+"/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tn.token)

	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("open event stream: %v", err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func TestEvents_StreamCap(t *testing.T) {
	tests := []struct {
		name       string
		maxStreams int // Config.MaxEventStreams
		want       int // streams served at once
	}{
		{"configured", 2, 2},
		{"default", 0, defaultMaxEventStreams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := mustStartNode(t, func(c *Config) { c.MaxEventStreams = tt.maxStreams })

			var open []*http.Response
			for i := range tt.want {
				res := openStream(t, tn)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("stream %d of %d: status %d, want 200", i+1, tt.want,
						res.StatusCode)
				}
				open = append(open, res)
			}

			over := openStream(t, tn)
			checkOverCap(t, over, tt.want)

			// The token is checked before the cap, so a bad token still gets 401.
			status, _ := callWith(t, "not-a-token", "GET", tn.url+"/v1/events", "", nil)
			if status != http.StatusUnauthorized {
				t.Errorf("bad token while at the cap: status %d, want 401", status)
			}

			// Other routes are still served while the streams are at the cap.
			status, data := tn.call(t, "GET", "/v1/status", "", nil)
			if status != http.StatusOK {
				t.Fatalf("status while at the cap: %d %s", status, data)
			}
			var st Status
			mustUnmarshal(t, data, &st)
			if st.Subscribers != tt.want {
				t.Errorf("subscribers %d, want %d", st.Subscribers, tt.want)
			}

			// Closing one stream frees its slot once the node detects the closed connection.
			open[0].Body.Close()
			mustOpenStreamWithin(t, tn, 10*time.Second)
		})
	}
}

// checkOverCap checks that res is the 503 of a stream over a cap of maxStreams.
func checkOverCap(t *testing.T, res *http.Response, maxStreams int) {
	t.Helper()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("stream over the cap: status %d, want 503", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q, want application/json", ct)
	}
	retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || retry <= 0 {
		t.Errorf("Retry-After %q, want a number of seconds", res.Header.Get("Retry-After"))
	}

	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read 503 body: %v", err)
	}
	var out struct{ Error string }
	mustUnmarshal(t, data, &out)
	want := fmt.Sprintf("at most %d at once", maxStreams)
	if !strings.Contains(out.Error, want) {
		t.Errorf("error %q does not contain %q", out.Error, want)
	}
}

// mustOpenStreamWithin opens streams until one is served, failing after timeout.
func mustOpenStreamWithin(t *testing.T, tn *testNode, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		res := openStream(t, tn)
		if res.StatusCode == http.StatusOK {
			return
		}
		res.Body.Close()
		if time.Now().After(deadline) {
			t.Fatalf("no stream served within %v of closing one: last status %d", timeout,
				res.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
