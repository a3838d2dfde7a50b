package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/omotenashi/omotenashi/node/auth"
	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/camera"
	"github.com/omotenashi/omotenashi/vision/track"
)

// Node is one boutique: its profiles, recognizer, gallery, camera and HTTP API.
type Node struct {
	cfg Config
	log *slog.Logger

	store   *profile.Store
	tokens  *auth.Tokens
	audit   *auth.Audit
	rec     *vision.Recognizer
	metrics *metrics

	// galleryMu orders every change that touches both the store's descriptors and the
	// galleries, so that a forget cannot interleave with an enrollment or a confirmation
	// and leave a forgotten client's descriptors searchable.
	galleryMu sync.Mutex
	engines   *engines

	mesh *meshNode // nil when the node runs alone

	// rejected keeps the queued writes that their group rejected, for GET /v1/pending.
	rejected rejectedWrites

	// stockMu orders the reads and writes of this boutique's stock after sales, so that
	// sales of one item at the same moment each take their piece.
	stockMu sync.Mutex

	// imageSlots bounds the photos analyzed at once, and so the memory their pixels take.
	imageSlots chan struct{}

	hub      *Hub
	arrivals *arrivalLog
	quiet    *track.Quiet
	camera   cameraStatus

	// bodyTimeout is how long a request has, from its headers on, to send its body.
	bodyTimeout time.Duration
}

// defaultBodyTimeout is the time a request has to send its body: enough for an enrollment
// of several phone photos over shop Wi-Fi.
//
// NOTE: it is a fixed deadline, not a minimum rate, so a body near the byte limits
// (MaxPhotos photos of Limits.MaxBytes each) on a slow link can time out.
const defaultBodyTimeout = 2 * time.Minute

// AdminTokenFile is the file in the data folder where a new node writes its first manager
// token.
const AdminTokenFile = "admin-token"

// Open opens the node's store in cfg.DataDir, creates its first manager token when it has
// none, loads the recognizer and fills the gallery from the stored descriptors.
func Open(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}

	// The folder holds clients' profiles and descriptors: only the node's user may read it.
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder %s: %w", cfg.DataDir, err)
	}
	if err := os.Chmod(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("restrict data folder %s: %w", cfg.DataDir, err)
	}
	store, err := profile.Open(filepath.Join(cfg.DataDir, "db"), profile.WithLogger(log))
	if errors.Is(err, syscall.EAGAIN) {
		return nil, fmt.Errorf("open profile store: data folder %s is in use, "+
			"probably by another node: %w", cfg.DataDir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open profile store: %w", err)
	}
	n := &Node{
		cfg:      cfg,
		log:      log,
		store:    store,
		tokens:   auth.NewTokens(store.DB()),
		audit:    auth.NewAudit(store.DB()),
		metrics:  newMetrics(),
		hub:      NewHub(),
		arrivals: newArrivalLog(200, cfg.ConfirmWindow),
		quiet:    track.NewQuiet(cfg.QuietPeriod),

		bodyTimeout: defaultBodyTimeout,
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	n.imageSlots = make(chan struct{}, workers)

	if n.cfg.Name == "" {
		n.cfg.Name = n.cfg.StoreName
	}
	if err := n.start(); err != nil {
		n.Close()
		return nil, err
	}
	if cfg.MeshKeyFile != "" {
		if err := n.startMesh(); err != nil {
			n.Close()
			return nil, fmt.Errorf("join the mesh: %w", err)
		}
	}
	return n, nil
}

// start bootstraps the admin token, loads the recognizer and fills the gallery.
func (n *Node) start() error {
	created, err := n.tokens.Bootstrap(filepath.Join(n.cfg.DataDir, AdminTokenFile))
	if err != nil {
		return fmt.Errorf("create first manager token: %w", err)
	}
	if created {
		n.log.Info("created first manager token", "file",
			filepath.Join(n.cfg.DataDir, AdminTokenFile))
	}

	vcfg := vision.DefaultConfig(n.cfg.ModelDir)
	if n.cfg.Workers > 0 {
		vcfg.Workers = n.cfg.Workers
	}
	if n.cfg.DetectSide > 0 {
		vcfg.DetectSide = n.cfg.DetectSide
	}
	started := time.Now()
	if n.rec, err = vision.NewRecognizer(vcfg); err != nil {
		return err
	}
	n.log.Info("loaded dlib models", "workers", n.rec.Workers(), "dir", n.cfg.ModelDir,
		"took", time.Since(started).Round(time.Millisecond))

	if n.engines, err = openEngines(n.cfg); err != nil {
		return err
	}
	n.log.Info("recognizing with engine", "engine", n.cfg.Engine,
		"match", n.cfg.Thresholds.Match, "candidate", n.cfg.Thresholds.Candidate,
		"margin", n.cfg.Thresholds.Margin)
	return n.loadGallery()
}

// loadGallery adds every stored descriptor of every client to the gallery of its engine,
// and counts the clients the recognition engine cannot recognize: they were enrolled when
// the node ran another engine, and need new photos.
func (n *Node) loadGallery() error {
	clients := 0
	err := n.store.Each(func(c *profile.Customer) error {
		clients++
		return n.engines.add(c.ID, c.Descriptors)
	})
	if err != nil {
		return fmt.Errorf("load gallery: %w", err)
	}

	g := n.engines.gallery()
	n.metrics.galleryDescriptors.Set(float64(g.Len()))
	n.log.Info("loaded gallery", "clients", clients, "descriptors", g.Len(),
		"engine", n.cfg.Engine)
	if missing := clients - g.Clients(); missing > 0 {
		n.log.Warn("clients without a descriptor of the recognition engine: "+
			"add a photo to each, or they are not recognized", "clients", missing,
			"engine", n.cfg.Engine)
	}
	return nil
}

// Close leaves the mesh, releases the recognizer and the engines, and closes the store.
func (n *Node) Close() error {
	n.stopMesh()
	if n.engines != nil {
		n.engines.close()
	}
	if n.rec != nil {
		n.rec.Close()
	}
	return n.store.Close()
}

// Run serves the API on cfg.Listen and plays the camera, if any, until ctx ends; then it
// stops the camera and drains open requests for up to five seconds.
func (n *Node) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", n.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", n.cfg.Listen, err)
	}
	return n.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened.
//
// Headers must arrive within 10 seconds and a body within the node's body timeout
// (limitBodyRead). The server has no WriteTimeout, because it would cut the long-lived
// event stream, whose number is capped instead (limitEventStreams).
func (n *Node) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           n.limitBodyRead(n.Handler()),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(n.log.Handler(), slog.LevelWarn),
	}
	n.log.Info("serving staff page and API", "url", "http://"+ln.Addr().String()+"/")

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	if n.cfg.Camera != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.watchCamera(ctx)
		}()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	cancel()
	shutdownCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	srv.Shutdown(shutdownCtx)
	wg.Wait()
	n.log.Info("stopped serving", "url", "http://"+ln.Addr().String()+"/")

	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// limitBodyRead sets a read deadline of n.bodyTimeout from now on each request that has a
// body, so a client that trickles its body is cut off: the handler's next read fails with
// os.ErrDeadlineExceeded (see bodyReadError) and the connection is closed. A request
// without a body, such as the event stream, gets no deadline. Once a body is read to its
// end, net/http (Go 1.26) clears the deadline as it starts its background read of the
// connection, so a handler may take longer than the timeout to respond.
func (n *Node) limitBodyRead(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			rc := http.NewResponseController(w)
			if err := rc.SetReadDeadline(time.Now().Add(n.bodyTimeout)); err != nil {
				n.log.Warn("set body read deadline failed", "path", r.URL.Path, "error", err)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// watchCamera plays the configured camera until ctx ends, restarting it with a growing
// pause after each failure.
func (n *Node) watchCamera(ctx context.Context) {
	src, err := camera.Parse(n.cfg.Camera, n.cfg.CameraFPS)
	if err != nil {
		n.log.Error("camera not started", "camera", n.cfg.Camera, "error", err)
		n.camera.set("failed: "+err.Error(), n.cfg.Camera)
		return
	}
	if f, ok := src.(*camera.Folder); ok {
		f.Loop = n.cfg.CameraLoop
	}

	pause := time.Second
	for ctx.Err() == nil {
		n.camera.set("running", src.Name())
		err := n.runCamera(ctx, src)
		if ctx.Err() != nil {
			break
		}
		if err == nil {
			n.log.Info("camera ended", "camera", src.Name())
			n.camera.set("ended", src.Name())
			return
		}
		n.log.Error("camera failed; restarting", "camera", src.Name(), "error", err,
			"pause", pause)
		n.camera.set("failed: "+err.Error(), src.Name())
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Minute)
	}
	n.camera.set("stopped", src.Name())
}

// cameraStatus is the state of the node's camera as /v1/status reports it.
type cameraStatus struct {
	mu     sync.Mutex
	state  string
	source string
}

func (c *cameraStatus) set(state, source string) {
	c.mu.Lock()
	c.state, c.source = state, source
	c.mu.Unlock()
}

func (c *cameraStatus) get() (string, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state, c.source
}

// Store returns the node's profile store.
func (n *Node) Store() *profile.Store { return n.store }

// Faces finds the faces of an encoded photo as enrollment does, without deciding who they
// are.
func (n *Node) Faces(ctx context.Context, data []byte) (vision.Photo, error) {
	return n.rec.FacesInPhoto(ctx, data, n.cfg.Limits, vision.Thorough)
}
