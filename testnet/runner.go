package testnet

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/omotenashi/omotenashi/node"
)

// Options is the configuration of a run: the binary, the assets and the output folder.
type Options struct {
	// Bin is the omotenashi binary the nodes run.
	Bin string
	// Root is the repository folder whose assets/ holds the models and sample photos.
	Root string
	// FacesDir is the folder of labelled face photos that "faces/NAME" photos name.
	FacesDir string
	// Out is the folder of the nodes' data, logs and the report.
	Out string
	// Progress receives one line per step as the run goes; nil discards them.
	Progress io.Writer
}

// runner is the state of one run: the processes, the camera, the WAN file, the clients
// and what was observed.
type runner struct {
	sc      *Scenario
	opts    Options
	started time.Time
	nodes   []*nodeProcess
	byName  map[string]*nodeProcess
	wan     *wanFile
	wanOn   bool // the binary takes --wan
	camera  *cameraServer
	args    nodeArgs
	clients map[string]*client
	cancel  context.CancelFunc
	ctx     context.Context
	outage  *outage
	report  *Report
	faces   [][]byte // face crops that enroll-many cycles through

	mu       sync.Mutex
	arrivals []seenArrival
	lags     []LagSample
	peakRSS  map[string]int64
	trackers sync.WaitGroup
}

// client is a client of the run, once enrolled.
type client struct {
	key, id, name, scope string
	home                 *nodeProcess
	photo, appears       []byte
	enrolledAt           time.Time
	purchases            map[string]int // SKU to the HTTP status of its write
	lastAppear           map[string]time.Time
}

// seenArrival is an arrival event one node published.
type seenArrival struct {
	node string
	at   time.Time
	a    node.Arrival
}

// outage is a region darkened by an outage step.
type outage struct {
	region, mode string
	nodes        []*nodeProcess
}

// Run starts the scenario's nodes, plays its steps, stops every process it started and
// returns the report. The error is about the run itself; failed expectations are in
// Report.Failures.
func Run(ctx context.Context, sc *Scenario, opts Options) (*Report, error) {
	if _, err := os.Stat(filepath.Join(opts.Out, "nodes")); err == nil {
		// Nodes started on an earlier run's data would find its clients already enrolled.
		return nil, fmt.Errorf("output folder %s already contains an earlier run: delete it or pass "+
			"another --out", opts.Out)
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder %s: %w", opts.Out, err)
	}
	r := &runner{sc: sc, opts: opts, byName: map[string]*nodeProcess{},
		clients: map[string]*client{}, peakRSS: map[string]int64{}, started: time.Now()}
	r.report = newReport(sc, r.started)
	r.ctx, r.cancel = context.WithCancel(ctx)
	defer r.shutdown()

	if err := r.startNodes(); err != nil {
		r.finish()
		return r.report, err
	}
	go r.sampleUsage()
	for i, st := range sc.Steps {
		if r.ctx.Err() != nil {
			r.finish()
			return r.report, r.ctx.Err()
		}
		r.runStep(i, st)
	}
	r.trackers.Wait()
	r.finish()
	return r.report, nil
}

func (r *runner) logf(format string, args ...any) {
	if r.opts.Progress != nil {
		fmt.Fprintf(r.opts.Progress, "%7.1fs  %s\n", time.Since(r.started).Seconds(),
			fmt.Sprintf(format, args...))
	}
}

// startNodes writes the mesh key and WAN file, starts the camera and every node, and
// waits until they all serve.
func (r *runner) startNodes() error {
	key := filepath.Join(r.opts.Out, "mesh.key")
	os.Remove(key)
	if out, err := exec.Command(r.opts.Bin, "mesh", "keygen", key).CombinedOutput(); err != nil {
		return fmt.Errorf("mesh keygen: %v: %s", err, out)
	}
	r.wanOn = binaryTakesWAN(r.opts.Bin)
	wan, err := newWANFile(filepath.Join(r.opts.Out, "wan.json"), r.sc.WAN)
	if err != nil {
		return err
	}
	r.wan = wan
	r.report.WAN.Simulated = r.wanOn
	r.args = nodeArgs{bin: r.opts.Bin, root: r.opts.Root, out: r.opts.Out, key: key,
		engine: r.sc.Engine, profile: r.sc.Profile, fps: r.sc.Camera.FPS,
		ports: newPortAllocator()}
	if r.wanOn {
		r.args.wanPath = wan.path
	}
	if err := r.startCamera(); err != nil {
		return err
	}

	r.logf("starting %d nodes (engine %s, profile %s, WAN simulated: %v)",
		len(r.sc.Nodes), r.sc.Engine, r.sc.Profile, r.wanOn)
	seen := map[string]bool{}
	var rest []*nodeProcess
	for i, spec := range r.sc.Nodes {
		p, err := newNodeProcess(spec, r.args)
		if err != nil {
			return err
		}
		r.nodes = append(r.nodes, p)
		r.byName[spec.Name] = p
		first := !seen["brand:"+spec.Brand] || !seen["group:"+spec.Group]
		seen["brand:"+spec.Brand], seen["group:"+spec.Group] = true, true
		if !first {
			rest = append(rest, p)
			continue
		}
		// Two first members of a group started together each find the other and neither
		// bootstraps; the node resolves that only after ten seconds, so the first member of
		// each brand and group starts alone.
		if err := r.startOne(p); err != nil {
			return err
		}
		if i == 0 {
			r.args.join = p.gossip
		}
	}
	return r.startRest(rest)
}

// startRest starts nodes four at a time, since each loads its models.
func (r *runner) startRest(rest []*nodeProcess) error {
	sem := make(chan struct{}, 4)
	errs := make(chan error, len(rest))
	var wg sync.WaitGroup
	for _, p := range rest {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs <- r.startOne(p)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) startOne(p *nodeProcess) error {
	if err := p.start(r.opts.Root); err != nil {
		return err
	}
	if err := p.waitServing(2 * time.Minute); err != nil {
		return err
	}
	go r.watch(p)
	return nil
}

func (r *runner) startCamera() error {
	if r.sc.Camera.Off {
		return nil
	}
	var strangers [][]byte
	for _, name := range r.sc.Camera.Strangers {
		data, err := os.ReadFile(r.photoPath(name))
		if err != nil {
			return fmt.Errorf("read stranger photo: %w", err)
		}
		small, err := shrinkJPEG(data, 800)
		if err != nil {
			return fmt.Errorf("shrink stranger photo %s: %w", name, err)
		}
		strangers = append(strangers, small)
	}
	cam, err := startCamera(r.sc.Camera.FPS, strangers)
	if err != nil {
		return err
	}
	r.camera = cam
	r.args.camera = cam.url
	return nil
}

// watch records the node's arrival events until the run ends, reconnecting after a
// crash, a restart or a pause.
func (r *runner) watch(p *nodeProcess) {
	for r.ctx.Err() == nil {
		if p.reachable() {
			p.watchEvents(r.ctx, func(a node.Arrival) {
				r.mu.Lock()
				r.arrivals = append(r.arrivals, seenArrival{node: p.spec.Name, at: time.Now(), a: a})
				r.mu.Unlock()
			})
		}
		select {
		case <-r.ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// binaryTakesWAN reports whether the node command has the --wan flag.
func binaryTakesWAN(bin string) bool {
	out, _ := exec.Command(bin, "node", "-h").CombinedOutput()
	return strings.Contains(string(out), "-wan ")
}

// photoPath returns the path of a photo named as in PhotoRef.File.
func (r *runner) photoPath(name string) string {
	if rest, ok := strings.CutPrefix(name, "faces/"); ok {
		return filepath.Join(r.opts.FacesDir, rest)
	}
	return filepath.Join(r.opts.Root, "assets", "samples", name)
}

// shutdown collects the final usage, stops the camera and every node, and ends watchers.
func (r *runner) shutdown() {
	r.cancel()
	if r.camera != nil {
		r.camera.close()
	}
	var wg sync.WaitGroup
	for _, p := range r.nodes {
		wg.Add(1)
		go func() { defer wg.Done(); p.stop() }()
	}
	wg.Wait()
}
