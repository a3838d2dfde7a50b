package node

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	face "github.com/Kagami/go-face"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/vision/camera"
)

// benchPhotos returns the six npm sample photos (1920 px wide, one to five faces each).
func benchPhotos(b *testing.B) [][]byte {
	b.Helper()
	var photos [][]byte
	for _, name := range []string{"sample1.jpg", "sample2.jpg", "sample3.jpg", "sample4.jpg",
		"sample5.jpg", "sample6.jpg"} {
		photos = append(photos, testassets.ReadFile(b, testassets.Sample(b, name)))
	}
	return photos
}

// BenchmarkIdentify compares identification through the node's HTTP API with go-face's
// Recognize called directly, on the same photos, each with two goroutines and one
// recognizer per goroutine. The two alternate within every iteration, so that a change in
// the machine's load hits both alike, and the benchmark reports their throughput ratio.
// The node's default detection side, 2048 px, passes these 1920 px photos to go-face whole,
// so both detect on the same pixels.
//
// The node recognizes with dlib's descriptor here, so both compute the same thing; the
// ONNX engine's extra work is measured by BenchmarkIdentifyEngines.
func BenchmarkIdentify(b *testing.B) {
	photos := benchPhotos(b)
	raw := newRawRecognizers(b, 2)
	tn := mustStartNode(b, func(c *Config) {
		c.Workers = 2
		c.Engine = EngineDlib
		c.Thresholds = ThresholdsFor(EngineDlib)
	})
	client := &http.Client{Timeout: time.Minute}
	var rawTime, apiTime time.Duration

	b.ResetTimer()
	for range b.N {
		rawTime += timePhotos(b, photos, func(data []byte) error {
			rec := <-raw
			defer func() { raw <- rec }()
			_, err := rec.Recognize(data)
			return err
		})
		apiTime += timePhotos(b, photos, func(data []byte) error {
			return postIdentify(client, tn, data)
		})
	}

	n := float64(b.N * len(photos))
	b.ReportMetric(n/rawTime.Seconds(), "raw-photos/s")
	b.ReportMetric(n/apiTime.Seconds(), "api-photos/s")
	b.ReportMetric(rawTime.Seconds()/apiTime.Seconds(), "api/raw")
}

// newRawRecognizers loads n go-face recognizers into a pool.
func newRawRecognizers(b *testing.B, n int) chan *face.Recognizer {
	b.Helper()
	recs := make(chan *face.Recognizer, n)
	for range n {
		rec, err := face.NewRecognizer(testassets.ModelDir(b))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(rec.Close)
		recs <- rec
	}
	return recs
}

// timePhotos runs do on every photo, two at a time, and returns the wall time taken.
func timePhotos(b *testing.B, photos [][]byte, do func([]byte) error) time.Duration {
	started := time.Now()
	var next atomic.Int64
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(photos) {
					errs <- nil
					return
				}
				if err := do(photos[i]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(started)
}

func postIdentify(client *http.Client, tn *testNode, data []byte) error {
	req, _ := http.NewRequest("POST", tn.url+"/v1/identify", bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+tn.token)
	req.Header.Set("Content-Type", "image/jpeg")
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return &httpError{res.StatusCode}
	}
	return nil
}

type httpError struct{ code int }

func (e *httpError) Error() string { return http.StatusText(e.code) }

// mustStartBenchNode starts a node for a benchmark, detecting at side px when side > 0.
func mustStartBenchNode(b *testing.B, side int) *testNode {
	b.Helper()
	return mustStartNode(b, func(c *Config) {
		c.Workers = 2
		c.DetectSide = side
	})
}

// BenchmarkCamera720p plays a 720p H.264 video through ffmpeg into the node's camera
// pipeline as fast as ffmpeg decodes it, and reports the frames analyzed per second and
// the time from a face's best frame to its alert. Frames that arrive while one is analyzed
// are dropped, as on a live camera.
func BenchmarkCamera720p(b *testing.B) {
	video := make720pVideo(b)
	tn := mustStartBenchNode(b, 0)
	tn.mustEnroll(b, "Claire Dubois", map[string][]byte{
		"claire.jpg": sampleCrop(b, tn, "sample1.jpg"),
	})

	var latencies []float64
	var analyzed, elapsed float64
	b.ResetTimer()
	for range b.N {
		before := testutil.ToFloat64(tn.metrics.frames) - testutil.ToFloat64(tn.metrics.framesDropped)
		events, cancel := tn.hub.Subscribe()
		started := time.Now()
		src := camera.NewFFmpeg(video, 0, true)
		if err := tn.runCamera(context.Background(), src); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(started).Seconds()
		cancel()
		for a := range events {
			latencies = append(latencies, a.LatencyMS)
		}
		analyzed += testutil.ToFloat64(tn.metrics.frames) -
			testutil.ToFloat64(tn.metrics.framesDropped) - before
	}
	b.ReportMetric(analyzed/elapsed, "analyzed-frames/s")
	if len(latencies) > 0 {
		slices.Sort(latencies)
		b.ReportMetric(latencies[len(latencies)/2], "p50-alert-ms")
		b.ReportMetric(latencies[len(latencies)*99/100], "p99-alert-ms")
	}
}

// make720pVideo builds a 12 s, 25 fps, 1280×720 H.264 video of the sample photos, two
// seconds each, with ffmpeg.
func make720pVideo(b *testing.B) string {
	b.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		b.Skip("ffmpeg not installed: run make deps")
	}
	var args []string
	var filter, inputs string
	for i, name := range []string{"sample2.jpg", "sample3.jpg", "sample4.jpg", "sample5.jpg",
		"sample6.jpg", "sample3.jpg"} {
		args = append(args, "-loop", "1", "-t", "2", "-i", testassets.Sample(b, name))
		filter += fmt.Sprintf("[%d:v]scale=1280:720:force_original_aspect_ratio=decrease,"+
			"pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25[v%d];", i, i)
		inputs += fmt.Sprintf("[v%d]", i)
	}
	out := filepath.Join(b.TempDir(), "camera.mp4")
	args = append(args, "-filter_complex", filter+inputs+"concat=n=6:v=1:a=0[out]",
		"-map", "[out]", "-c:v", "libx264", "-pix_fmt", "yuv420p", out)
	cmd := exec.Command("ffmpeg", append([]string{"-hide_banner", "-loglevel", "error"},
		args...)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("make video: %v: %s", err, msg)
	}
	return out
}
