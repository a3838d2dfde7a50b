package node

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzReadForm feeds arbitrary multipart bodies to the enrollment form reader: it must
// return an error or a form within every limit, and never panic.
func FuzzReadForm(f *testing.F) {
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAiko\r\n--b--\r\n"), "b")
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n"+
		"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xd9\r\n--b--\r\n"), "b")
	f.Add([]byte("--b\r\n\r\n"), "b")
	f.Add([]byte(""), "")

	n := &Node{cfg: DefaultConfig(f.TempDir())}
	n.cfg.Limits.MaxBytes = 1 << 10
	n.cfg.MaxPhotos = 2

	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		req := httptest.NewRequest("POST", "/v1/customers", bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)

		form, err := n.readForm(req)
		if err != nil {
			return
		}
		if len(form.photos) > n.cfg.MaxPhotos {
			t.Fatalf("%d photos past the limit of %d", len(form.photos), n.cfg.MaxPhotos)
		}
		for _, p := range form.photos {
			if len(p.Data) > n.cfg.Limits.MaxBytes {
				t.Fatalf("photo of %d bytes past the limit", len(p.Data))
			}
		}
		for name, v := range form.fields {
			if len(v) > maxFieldBytes {
				t.Fatalf("field %q of %d bytes past the limit", name, len(v))
			}
		}
		if _, err := customerFromForm(form.fields, "fuzz"); err == nil && form.fields["consent"] == "" {
			t.Fatalf("a client without consent was accepted")
		}
	})
}

// FuzzDecodeJSON feeds arbitrary bodies to the JSON reader of the confirm route.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"customer_id":"abc"}`))
	f.Add([]byte(`{"customer_id":"abc"} {}`))
	f.Add([]byte(`{"customer_id":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var v struct {
			CustomerID string `json:"customer_id"`
		}
		err := decodeJSON(bytes.NewReader(body), &v)
		if err == nil {
			return
		}
		want := http.StatusBadRequest
		if len(body) > maxJSONBytes {
			want = http.StatusRequestEntityTooLarge
		}
		if statusOf(err) != want {
			t.Fatalf("rejected body of %d bytes mapped to status %d, want %d", len(body),
				statusOf(err), want)
		}
	})
}
