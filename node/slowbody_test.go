package node

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/internal/testassets"
)

// testBodyTimeout is the body timeout of the nodes in these tests.
const testBodyTimeout = 300 * time.Millisecond

// mustStartNodeWithBodyTimeout is mustStartNode for a node whose requests have timeout to
// send their body.
func mustStartNodeWithBodyTimeout(t *testing.T, timeout time.Duration) *testNode {
	t.Helper()
	return mustStartNodeWith(t, nil, func(n *Node) { n.bodyTimeout = timeout })
}

// trickle sends the headers of a POST to path with a body of size bytes, then one byte of
// the body every interval until the connection fails or stop is closed. It returns the
// number of body bytes sent. The bytes are spaces, which JSON and multipart bodies allow
// before their content, so a route fails on the deadline and not on the syntax.
func trickle(conn net.Conn, tn *testNode, path, contentType string, size int,
	interval time.Duration, stop <-chan struct{}) int {
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: %s\r\nContent-Length: %d\r\n\r\n", path, tn.token, contentType, size)

	sent := 0
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for sent < size {
		select {
		case <-stop:
			return sent
		case <-ticker.C:
		}
		if _, err := conn.Write([]byte{' '}); err != nil {
			return sent
		}
		sent++
	}
	return sent
}

func TestSlowBody_TimedOut(t *testing.T) {
	tn := mustStartNodeWithBodyTimeout(t, testBodyTimeout)

	tests := []struct {
		name        string
		path        string
		contentType string
	}{
		{"identify image", "/v1/identify", "image/jpeg"},
		{"JSON", "/v1/tokens", "application/json"},
		{"multipart", "/v1/customers", "multipart/form-data; boundary=zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", strings.TrimPrefix(tn.url, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			// A guard against a hang: without the body timeout the node would wait for all
			// 1000 bytes, which take 100 s at one byte per 100 ms.
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))

			const size = 1000
			stop := make(chan struct{})
			sentc := make(chan int, 1)
			go func() {
				sentc <- trickle(conn, tn, tt.path, tt.contentType, size,
					100*time.Millisecond, stop)
			}()

			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			close(stop)
			if err != nil {
				t.Fatalf("read response: %v", err)
			}
			defer res.Body.Close()
			sent := <-sentc
			if sent >= size {
				t.Fatalf("the node waited for the whole body of %d bytes", size)
			}
			if res.StatusCode != http.StatusRequestTimeout {
				body, _ := io.ReadAll(res.Body)
				t.Fatalf("status %d, want 408: %s", res.StatusCode, body)
			}
			if !res.Close {
				t.Errorf("the node keeps the connection of a timed-out body open")
			}
		})
	}
}

// TestSlowBody_SlowHandlerServed posts a photo that arrives at once to a route that takes
// longer than the body timeout to respond: the deadline must not cut it.
func TestSlowBody_SlowHandlerServed(t *testing.T) {
	tn := mustStartNodeWithBodyTimeout(t, testBodyTimeout)
	photo := testassets.ReadFile(t, testassets.Sample(t, "sample1.jpg"))

	started := time.Now()
	faces := tn.mustIdentify(t, photo)
	took := time.Since(started)
	if len(faces) == 0 {
		t.Errorf("identify found no face in sample1.jpg")
	}
	if took < testBodyTimeout {
		t.Logf("identify took %v, under the body timeout: this run did not check a slow "+
			"handler", took)
	}
}

// TestSlowBody_EventStreamOutlivesTimeout checks that the event stream, which has no body,
// is not cut when the body timeout passes.
func TestSlowBody_EventStreamOutlivesTimeout(t *testing.T) {
	tn := mustStartNodeWithBodyTimeout(t, testBodyTimeout)
	res := openStream(t, tn)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("events: status %d", res.StatusCode)
	}

	time.Sleep(3 * testBodyTimeout)
	tn.hub.Publish(Arrival{ID: "after-timeout", Decision: "unknown"})

	arrivals := readArrivals(t, res, 10*time.Second, func(a Arrival) bool {
		return a.ID == "after-timeout"
	})
	if got := arrivals[len(arrivals)-1].ID; got != "after-timeout" {
		t.Errorf("last arrival %q, want after-timeout", got)
	}
}

// TestSlowBody_KeepAliveAfterBody sends two requests with bodies on one connection, the
// second after the body timeout of the first has passed: the first deadline must not end
// the connection.
func TestSlowBody_KeepAliveAfterBody(t *testing.T) {
	tn := mustStartNodeWithBodyTimeout(t, testBodyTimeout)
	conn, err := net.Dial("tcp", strings.TrimPrefix(tn.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(conn)

	for i := range 2 {
		if i > 0 {
			time.Sleep(3 * testBodyTimeout)
		}
		body := fmt.Sprintf(`{"name":"assistant %d","role":"assistant"}`, i)
		var req bytes.Buffer
		fmt.Fprintf(&req, "POST /v1/tokens HTTP/1.1\r\nHost: node\r\n"+
			"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"+
			"Content-Length: %d\r\n\r\n%s", tn.token, len(body), body)
		if _, err := conn.Write(req.Bytes()); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}

		res, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("request %d: status %d, want 201: %s", i+1, res.StatusCode, data)
		}
	}
}
