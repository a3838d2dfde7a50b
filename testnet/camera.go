package testnet

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	_ "image/png" // stranger photos may be PNG
)

// cameraServer serves one MJPEG stream per node at /NODE: multipart/x-mixed-replace with
// one JPEG part per frame. It plays the strangers' photos in turn, and a client's photo
// for a few frames when she appears.
type cameraServer struct {
	fps       float64
	strangers [][]byte
	srv       *http.Server
	url       string

	mu      sync.Mutex
	pending map[string][]appearance
}

type appearance struct {
	photo  []byte
	frames int
}

func startCamera(fps float64, strangers [][]byte) (*cameraServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("camera listen: %w", err)
	}
	c := &cameraServer{fps: fps, strangers: strangers, pending: map[string][]appearance{},
		url: "http://" + ln.Addr().String() + "/"}
	c.srv = &http.Server{Handler: http.HandlerFunc(c.serve)}
	go c.srv.Serve(ln)
	return c, nil
}

// appear shows photo on node's stream for frames frames, after what is already queued.
func (c *cameraServer) appear(node string, photo []byte, frames int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending[node] = append(c.pending[node], appearance{photo: photo, frames: frames})
}

// next returns the frame node's stream shows next.
func (c *cameraServer) next(node string, i int) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	queue := c.pending[node]
	if len(queue) == 0 {
		return c.strangers[i%len(c.strangers)]
	}
	photo := queue[0].photo
	queue[0].frames--
	if queue[0].frames <= 0 {
		queue = queue[1:]
	}
	c.pending[node] = queue
	return photo
}

func (c *cameraServer) serve(w http.ResponseWriter, r *http.Request) {
	node := strings.Trim(r.URL.Path, "/")
	const boundary = "frame"
	w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary="+boundary)
	tick := time.NewTicker(time.Duration(float64(time.Second) / c.fps))
	defer tick.Stop()
	flusher, _ := w.(http.Flusher)
	for i := 0; ; i++ {
		frame := c.next(node, i)
		_, err := fmt.Fprintf(w, "--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n",
			boundary, len(frame))
		if err == nil {
			_, err = w.Write(append(frame, '\r', '\n'))
		}
		if err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

func (c *cameraServer) close() {
	c.srv.Close()
}

// shrinkJPEG returns the photo scaled down to at most width pixels wide, re-encoded as
// JPEG, so that stranger frames cost the nodes little detection time.
func shrinkJPEG(data []byte, width int) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode photo: %w", err)
	}
	b := src.Bounds()
	if b.Dx() <= width {
		return data, nil
	}
	height := b.Dy() * width / b.Dx()
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		for x := range width {
			dst.Set(x, y, src.At(b.Min.X+x*b.Dx()/width, b.Min.Y+y*b.Dy()/height))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode photo: %w", err)
	}
	return buf.Bytes(), nil
}
