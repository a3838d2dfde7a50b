package node

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/vision"
)

// testNode is a node serving on a loopback port, with its manager token.
type testNode struct {
	*Node
	url   string
	token string
}

// mustStartNode opens a node in a temporary folder, serves it on 127.0.0.1 and stops it
// when the test ends. change may adjust the configuration first.
func mustStartNode(t testing.TB, change func(*Config)) *testNode {
	t.Helper()
	return mustStartNodeWith(t, change, nil)
}

// mustStartNodeWith is mustStartNode with adjust, when set, called on the opened node
// before it serves, for settings that are not in Config.
func mustStartNodeWith(t testing.TB, change func(*Config), adjust func(*Node)) *testNode {
	t.Helper()
	cfg := DefaultConfig(t.TempDir())
	cfg.ModelDir = testassets.ModelDir(t)
	cfg.ONNXModelDir, cfg.ONNXLibrary = testassets.ONNXModelDir(t)
	cfg.Workers = 2
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		cfg.Logger = slog.Default()
	}
	if change != nil {
		change(&cfg)
	}

	n, err := Open(cfg)
	if err != nil {
		t.Fatalf("open node: %v", err)
	}
	if adjust != nil {
		adjust(n)
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

	token, err := os.ReadFile(filepath.Join(cfg.DataDir, AdminTokenFile))
	if err != nil {
		t.Fatalf("read admin token: %v", err)
	}
	return &testNode{Node: n, url: "http://" + ln.Addr().String(),
		token: strings.TrimSpace(string(token))}
}

// call sends a request with the node's manager token and returns the status and body.
func (tn *testNode) call(t testing.TB, method, path, contentType string, body io.Reader) (
	int, []byte) {
	t.Helper()
	return callWith(t, tn.token, method, tn.url+path, contentType, body)
}

func callWith(t testing.TB, token, method, url, contentType string, body io.Reader) (
	int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	client := &http.Client{Timeout: time.Minute}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, data
}

// enrollForm builds a multipart enrollment with the given fields and photos.
func enrollForm(t testing.TB, fields map[string]string, photos map[string][]byte) (
	*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for name, data := range photos {
		part, err := w.CreateFormFile("photo", name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(data)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

// mustEnroll enrolls a client and returns her id.
func (tn *testNode) mustEnroll(t testing.TB, name string, photos map[string][]byte) string {
	t.Helper()
	body, ct := enrollForm(t, map[string]string{"name": name, "consent": "brand"}, photos)
	status, data := tn.call(t, "POST", "/v1/customers", ct, body)
	if status != http.StatusCreated {
		t.Fatalf("enroll %s: %d %s", name, status, data)
	}
	var out struct{ ID string }
	mustUnmarshal(t, data, &out)
	return out.ID
}

type identifyResult struct {
	Faces []Identified
}

// mustIdentify posts a photo to /v1/identify and returns the decisions.
func (tn *testNode) mustIdentify(t testing.TB, photo []byte) []Identified {
	t.Helper()
	status, data := tn.call(t, "POST", "/v1/identify", "image/jpeg", bytes.NewReader(photo))
	if status != http.StatusOK {
		t.Fatalf("identify: %d %s", status, data)
	}
	var out identifyResult
	mustUnmarshal(t, data, &out)
	return out.Faces
}

func mustUnmarshal(t testing.TB, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

// sampleCrop returns the face of sample1.jpg centred near (1558, 340), the demo client's,
// cropped out as a JPEG, as the demo enrolls it.
func sampleCrop(t testing.TB, tn *testNode, name string) []byte {
	t.Helper()
	data := testassets.ReadFile(t, testassets.Sample(t, name))
	photo, err := tn.Faces(context.Background(), data)
	if err != nil || len(photo.Faces) == 0 {
		t.Fatalf("faces of %s: %v (%d found)", name, err, len(photo.Faces))
	}
	i := slices.IndexFunc(photo.Faces, func(f vision.Face) bool {
		return image.Pt(1558, 340).In(f.Box)
	})
	if i < 0 {
		t.Fatalf("her face not found in %s", name)
	}
	crop, err := vision.CropJPEG(data, vision.DefaultLimits(), photo.Faces[i].Box, 400)
	if err != nil {
		t.Fatal(err)
	}
	return crop
}

// purchaseOf returns a purchase of item made last month in Paris.
func purchaseOf(item string) profile.Purchase {
	return profile.Purchase{At: time.Now().UTC().AddDate(0, -1, 0), SKU: "SKU-1", Item: item,
		Price: 2400, Currency: "EUR", Store: "Paris", Assistant: "Aiko"}
}
