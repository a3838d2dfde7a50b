package node

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// jsonOfSize returns a token request {"name": "...", "role": "assistant"} of exactly size
// bytes.
func jsonOfSize(t *testing.T, size int) []byte {
	t.Helper()
	empty := `{"name":"","role":"assistant"}`
	if size < len(empty) {
		t.Fatalf("size %d under the %d bytes of an empty request", size, len(empty))
	}
	name := strings.Repeat("a", size-len(empty))
	body := []byte(`{"name":"` + name + `","role":"assistant"}`)
	if len(body) != size {
		t.Fatalf("built %d bytes, want %d", len(body), size)
	}
	return body
}

func TestDecodeJSON_Status(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want int // 0: decoded
	}{
		{"small", []byte(`{"name":"Aiko","role":"assistant"}`), 0},
		{"at limit", jsonOfSize(t, maxJSONBytes), 0},
		{"one byte over", jsonOfSize(t, maxJSONBytes+1), http.StatusRequestEntityTooLarge},
		{"one MiB", jsonOfSize(t, 1<<20), http.StatusRequestEntityTooLarge},
		{"malformed", []byte(`{"name":`), http.StatusBadRequest},
		{"unknown field", []byte(`{"name":"a","colour":"red"}`), http.StatusBadRequest},
		{"trailing data", []byte(`{"name":"a"} {}`), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct {
				Name string `json:"name"`
				Role string `json:"role"`
			}
			err := decodeJSON(bytes.NewReader(tt.body), &v)
			if tt.want == 0 {
				if err != nil {
					t.Fatalf("decode %d bytes: %v", len(tt.body), err)
				}
				if v.Name == "" {
					t.Errorf("name not decoded")
				}
				return
			}
			if err == nil {
				t.Fatalf("decode %d bytes: no error, want status %d", len(tt.body), tt.want)
			}
			if got := statusOf(err); got != tt.want {
				t.Errorf("status %d, want %d (error %v)", got, tt.want, err)
			}
		})
	}
}

func TestAPI_JSONBodyTooLarge(t *testing.T) {
	tn := mustStartNode(t, nil)

	tests := []struct {
		name   string
		method string
		path   string
	}{
		{"create token", "POST", "/v1/tokens"},
		{"confirm arrival", "POST", "/v1/arrivals/nothing/confirm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := bytes.NewReader(jsonOfSize(t, 100<<10))
			status, data := tn.call(t, tt.method, tt.path, "application/json", body)
			if status != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413: %s", status, data)
			}

			var out struct{ Error string }
			mustUnmarshal(t, data, &out)
			if !strings.Contains(out.Error, "64 KiB") {
				t.Errorf("error %q does not name the 64 KiB limit", out.Error)
			}
		})
	}

	// The node still serves after the large bodies.
	status, data := tn.call(t, "POST", "/v1/tokens", "application/json",
		strings.NewReader(`{"name":"Kenji","role":"assistant"}`))
	if status != http.StatusCreated {
		t.Fatalf("create token after large bodies: %d %s", status, data)
	}
}

func TestAPI_RevokeUnknownToken(t *testing.T) {
	tn := mustStartNode(t, nil)

	status, data := tn.call(t, "DELETE", "/v1/tokens/nothing", "", nil)
	if status != http.StatusNotFound {
		t.Fatalf("status %d, want 404: %s", status, data)
	}
	var out struct{ Error string }
	if err := json.Unmarshal(data, &out); err != nil || out.Error == "" {
		t.Errorf("response %s has no error message", data)
	}
}
