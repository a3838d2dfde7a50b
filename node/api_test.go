package node

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
)

// pngBomb returns a PNG header declaring w×h pixels with no image data.
func pngBomb(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2
	chunk := append([]byte("IHDR"), ihdr...)

	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&buf, binary.BigEndian, uint32(len(ihdr)))
	buf.Write(chunk)
	binary.Write(&buf, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return buf.Bytes()
}

func TestAPI_Auth(t *testing.T) {
	tn := mustStartNode(t, nil)
	status, body := tn.call(t, "POST", "/v1/tokens", "application/json",
		strings.NewReader(`{"name":"aiko","role":"assistant"}`))
	if status != http.StatusCreated {
		t.Fatalf("create token: %d %s", status, body)
	}
	var created struct{ Token string }
	mustUnmarshal(t, body, &created)

	tests := []struct {
		name   string
		token  string
		method string
		path   string
		want   int
	}{
		{"no token", "", "GET", "/v1/customers", http.StatusUnauthorized},
		{"wrong token", "omo_not-a-real-token", "GET", "/v1/customers", http.StatusUnauthorized},
		{"assistant reads", created.Token, "GET", "/v1/customers", http.StatusOK},
		{"assistant cannot forget", created.Token, "DELETE", "/v1/customers/abc",
			http.StatusForbidden},
		{"assistant cannot export", created.Token, "GET", "/v1/customers/abc/export",
			http.StatusForbidden},
		{"manager reads", tn.token, "GET", "/v1/status", http.StatusOK},
		{"metrics open", "", "GET", "/metrics", http.StatusOK},
		{"page open", "", "GET", "/", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := callWith(t, tt.token, tt.method, tn.url+tt.path, "", nil)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, body)
			}
		})
	}
}

func TestAPI_EnrollRejects(t *testing.T) {
	tn := mustStartNode(t, nil)
	face := testassets.ReadFile(t, "../vision/testdata/face.jpg")
	group := testassets.ReadFile(t, testassets.Sample(t, "sample5.jpg"))
	noFace := testassets.ReadFile(t, "../vision/testdata/face.gif")[:0]

	tests := []struct {
		name   string
		fields map[string]string
		photos map[string][]byte
		want   int
		reason string
	}{
		{"no consent", map[string]string{"name": "A"}, map[string][]byte{"a.jpg": face},
			http.StatusBadRequest, "consent"},
		{"bad consent", map[string]string{"name": "A", "consent": "world"},
			map[string][]byte{"a.jpg": face}, http.StatusBadRequest, "scope"},
		{"no name", map[string]string{"consent": "store"}, map[string][]byte{"a.jpg": face},
			http.StatusBadRequest, "name"},
		{"no photo", map[string]string{"name": "A", "consent": "store"}, nil,
			http.StatusBadRequest, "photo"},
		{"empty photo", map[string]string{"name": "A", "consent": "store"},
			map[string][]byte{"a.jpg": noFace}, http.StatusBadRequest, "empty"},
		{"five faces", map[string]string{"name": "A", "consent": "store"},
			map[string][]byte{"group.jpg": group}, http.StatusUnprocessableEntity, "5 faces"},
		{"truncated", map[string]string{"name": "A", "consent": "store"},
			map[string][]byte{"a.jpg": face[:len(face)/2]}, http.StatusBadRequest, "corrupt"},
		{"bomb", map[string]string{"name": "A", "consent": "store"},
			map[string][]byte{"a.png": pngBomb(50000, 50000)},
			http.StatusRequestEntityTooLarge, "50000x50000"},
		{"not an image", map[string]string{"name": "A", "consent": "store"},
			map[string][]byte{"a.txt": []byte("hello")}, http.StatusUnsupportedMediaType,
			"unsupported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := enrollForm(t, tt.fields, tt.photos)
			status, data := tn.call(t, "POST", "/v1/customers", ct, body)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, data)
			}
			if !strings.Contains(string(data), tt.reason) {
				t.Errorf("error %s does not mention %q", data, tt.reason)
			}
		})
	}

	status, data := tn.call(t, "GET", "/v1/customers", "", nil)
	if status != http.StatusOK || strings.Contains(string(data), `"id"`) {
		t.Errorf("rejected enrollments left clients behind: %d %s", status, data)
	}
}

func TestAPI_MalformedRequests(t *testing.T) {
	tn := mustStartNode(t, nil)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})

	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		want        int
	}{
		{"multipart without boundary", "POST", "/v1/customers", "multipart/form-data", "x",
			http.StatusBadRequest},
		{"multipart cut short", "POST", "/v1/customers",
			"multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nA",
			http.StatusBadRequest},
		{"identify empty body", "POST", "/v1/identify", "image/jpeg", "", http.StatusBadRequest},
		{"identify text", "POST", "/v1/identify", "image/jpeg", "not an image",
			http.StatusUnsupportedMediaType},
		{"purchase bad JSON", "POST", "/v1/customers/" + id + "/purchases", "application/json",
			`{"sku": `, http.StatusBadRequest},
		{"purchase unknown field", "POST", "/v1/customers/" + id + "/purchases",
			"application/json", `{"sku":"A","price":1,"currency":"EUR","colour":"red"}`,
			http.StatusBadRequest},
		{"purchase unknown client", "POST", "/v1/customers/nobody/purchases",
			"application/json", `{"sku":"A","price":1,"currency":"EUR"}`, http.StatusNotFound},
		{"get unknown client", "GET", "/v1/customers/nobody", "", "", http.StatusNotFound},
		{"confirm unknown arrival", "POST", "/v1/arrivals/nothing/confirm", "application/json",
			`{"customer_id":"` + id + `"}`, http.StatusNotFound},
		{"token bad role", "POST", "/v1/tokens", "application/json",
			`{"name":"x","role":"owner"}`, http.StatusBadRequest},
		{"unknown route", "GET", "/v1/nothing", "", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, data := tn.call(t, tt.method, tt.path, tt.contentType,
				strings.NewReader(tt.body))
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, data)
			}
			if !strings.Contains(string(data), `"error"`) {
				t.Errorf("answer %s has no error message", data)
			}
		})
	}

	// After all that, the client is still there, whole.
	status, data := tn.call(t, "GET", "/v1/customers/"+id, "", nil)
	if status != http.StatusOK || !strings.Contains(string(data), "Aiko Tanaka") {
		t.Fatalf("client after bad requests: %d %s", status, data)
	}
}

func TestAPI_HistoryExportAndAudit(t *testing.T) {
	tn := mustStartNode(t, nil)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})

	steps := []struct{ path, body string }{
		{"/purchases", `{"sku":"BAG-1","item":"Pearl bag","price":2400,"currency":"EUR"}`},
		{"/inquiries", `{"sku":"SLIP-38","item":"Nude slippers","note":"size 38"}`},
		{"/visits", `{}`},
		{"/notes", `{"text":"prefers green tea"}`},
	}
	for _, s := range steps {
		status, data := tn.call(t, "POST", "/v1/customers/"+id+s.path, "application/json",
			strings.NewReader(s.body))
		if status != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", s.path, status, data)
		}
	}
	status, data := tn.call(t, "PUT", "/v1/customers/"+id+"/preferences", "application/json",
		strings.NewReader(`{"sizes":["38"],"colors":["ivory"]}`))
	if status != http.StatusCreated {
		t.Fatalf("preferences: %d %s", status, data)
	}

	status, data = tn.call(t, "GET", "/v1/customers/"+id+"/export", "", nil)
	if status != http.StatusOK {
		t.Fatalf("export: %d %s", status, data)
	}
	for _, want := range []string{"Pearl bag", "Nude slippers", "green tea", "ivory", `"vector"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export lacks %q", want)
		}
	}

	status, data = tn.call(t, "GET", "/v1/customers/"+id, "", nil)
	if status != http.StatusOK || strings.Contains(string(data), `"vector"`) {
		t.Errorf("profile view: %d, and it must not carry descriptor values", status)
	}

	status, data = tn.call(t, "GET", "/v1/audit?customer="+id, "", nil)
	if status != http.StatusOK {
		t.Fatalf("audit: %d %s", status, data)
	}
	for _, action := range []string{`"enroll"`, `"view"`, `"export"`, `"record-purchase"`} {
		if !strings.Contains(string(data), action) {
			t.Errorf("audit lacks action %s: %s", action, data)
		}
	}
}

func TestAPI_EnrollSameFaceTwice(t *testing.T) {
	tn := mustStartNode(t, nil)
	face := testassets.ReadFile(t, "../vision/testdata/face.jpg")
	first := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{"a.jpg": face})

	body, ct := enrollForm(t, map[string]string{"name": "Someone Else", "consent": "store"},
		map[string][]byte{"a.jpg": face})
	status, data := tn.call(t, "POST", "/v1/customers", ct, body)
	if status != http.StatusConflict {
		t.Fatalf("second enrollment of one face: %d %s, want 409", status, data)
	}
	if !strings.Contains(string(data), first) {
		t.Errorf("conflict %s does not name the enrolled client %s", data, first)
	}

	body, ct = enrollForm(t, map[string]string{"name": "Twin Sister", "consent": "store",
		"force": "true"}, map[string][]byte{"a.jpg": face})
	if status, data := tn.call(t, "POST", "/v1/customers", ct, body); status != http.StatusCreated {
		t.Fatalf("forced enrollment: %d %s, want 201", status, data)
	}
}

func TestAPI_QueryTokenOnlyForEvents(t *testing.T) {
	tn := mustStartNode(t, nil)
	status, _ := callWith(t, "", "GET", tn.url+"/v1/customers?access_token="+tn.token, "", nil)
	if status != http.StatusBadRequest {
		t.Errorf("query token on a normal route: %d, want 400", status)
	}
}

func TestAPI_ChangeConsentAlone(t *testing.T) {
	tn := mustStartNode(t, nil)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	status, data := tn.call(t, "PUT", "/v1/customers/"+id+"/consent", "application/json",
		strings.NewReader(`{"scope":"group","text_version":"2026-02"}`))
	if status != http.StatusCreated {
		t.Fatalf("change consent: %d %s", status, data)
	}
	status, data = tn.call(t, "GET", "/v1/customers/"+id, "", nil)
	if status != http.StatusOK || !strings.Contains(string(data), `"scope": "group"`) ||
		!strings.Contains(string(data), "2026-02") {
		t.Errorf("consent after change: %d %s", status, data)
	}
	status, _ = tn.call(t, "PUT", "/v1/customers/"+id+"/consent", "application/json",
		strings.NewReader(`{"scope":"planet"}`))
	if status != http.StatusBadRequest {
		t.Errorf("unknown scope: %d, want 400", status)
	}
	status, data = tn.call(t, "GET", "/v1/pending", "", nil)
	if status != http.StatusOK || !strings.Contains(string(data), `"pending": []`) {
		t.Errorf("pending alone: %d %s", status, data)
	}
}
