package testnet

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/omotenashi/omotenashi/node"
)

// nodeProcess is one boutique node running as its own process on loopback.
type nodeProcess struct {
	spec    NodeSpec
	dir     string // data folder
	logPath string
	url     string
	gossip  string
	token   string
	bin     string
	args    []string
	cmd     *exec.Cmd
	exited  chan struct{}
	stopped bool // paused with SIGSTOP
}

// portAllocator hands out loopback ports below the kernel's ephemeral range (32768 and
// up on Linux by default). So no outgoing connection takes the port a later node is about
// to listen on, and no port is handed out twice in a run.
type portAllocator struct {
	mu   sync.Mutex
	next int
}

func newPortAllocator() *portAllocator {
	// Runs started at the same time by different processes start far apart.
	return &portAllocator{next: 20000 + os.Getpid()%120*100}
}

// take returns a port that was free a moment ago.
func (a *portAllocator) take() (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for ; a.next < 32768; a.next++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", a.next))
		if err != nil {
			continue
		}
		ln.Close()
		a.next++
		return a.next - 1, nil
	}
	return 0, fmt.Errorf("no free loopback port left below 32768")
}

// nodeArgs are the settings shared by every node of a run.
type nodeArgs struct {
	bin, root, out, key, join, wanPath, camera string
	engine, profile                            string
	fps                                        float64
	ports                                      *portAllocator
}

func newNodeProcess(spec NodeSpec, a nodeArgs) (*nodeProcess, error) {
	ports := make([]int, 3)
	for i := range ports {
		p, err := a.ports.take()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	base := filepath.Join(a.out, "nodes", spec.Name)
	p := &nodeProcess{spec: spec, dir: filepath.Join(base, "data"),
		logPath: filepath.Join(base, "node.log"), bin: a.bin,
		url:    fmt.Sprintf("http://127.0.0.1:%d", ports[0]),
		gossip: fmt.Sprintf("127.0.0.1:%d", ports[1])}
	p.args = []string{"node", "--data", p.dir, "--listen", strings.TrimPrefix(p.url, "http://"),
		"--name", spec.Name, "--store", spec.Name, "--brand", spec.Brand, "--group", spec.Group,
		"--region", spec.Region, "--mesh-key", a.key, "--gossip", p.gossip,
		"--p2p", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", ports[2]), "--profile", a.profile,
		"--engine", a.engine, "--workers", "1", "--quiet", "1s",
		"--models", filepath.Join(a.root, "assets", "dlib"),
		"--onnx-models", filepath.Join(a.root, "assets", "onnx")}
	if a.camera != "" {
		p.args = append(p.args, "--camera", a.camera+spec.Name,
			"--fps", fmt.Sprintf("%g", a.fps))
	}
	if a.join != "" {
		p.args = append(p.args, "--join", a.join)
	}
	if a.wanPath != "" {
		p.args = append(p.args, "--wan", a.wanPath)
	}
	if spec.Location != "" {
		p.args = append(p.args, "--location", spec.Location, "--nearby-refresh", "2s")
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, fmt.Errorf("node folder %s: %w", base, err)
	}
	return p, nil
}

// start starts the process. waitServing then waits until it serves HTTP.
func (p *nodeProcess) start(root string) error {
	logFile, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open node log %s: %w", p.logPath, err)
	}
	p.cmd = exec.Command(p.bin, p.args...)
	p.cmd.Dir = root
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	if err := p.cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start node %s: %w", p.spec.Name, err)
	}
	p.exited = make(chan struct{})
	p.stopped = false
	go func() {
		p.cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	return nil
}

// waitServing waits until the node responds to /healthz, then reads its manager token.
func (p *nodeProcess) waitServing(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if status, _, err := p.call("GET", "/healthz", "", nil, 2*time.Second); err == nil &&
			status == 200 {
			return p.readToken()
		}
		select {
		case <-p.exited:
			return fmt.Errorf("node %s exited while starting: see %s", p.spec.Name, p.logPath)
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("node %s not serving after %s: see %s", p.spec.Name, timeout, p.logPath)
}

func (p *nodeProcess) readToken() error {
	data, err := os.ReadFile(filepath.Join(p.dir, node.AdminTokenFile))
	if err != nil {
		return fmt.Errorf("read admin token of node %s: %w", p.spec.Name, err)
	}
	p.token = strings.TrimSpace(string(data))
	return nil
}

// running reports whether the process is alive (paused counts as alive).
func (p *nodeProcess) running() bool {
	if p.cmd == nil || p.exited == nil {
		return false
	}
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// reachable reports whether the node runs and is not paused.
func (p *nodeProcess) reachable() bool { return p.running() && !p.stopped }

// kill ends the process with SIGKILL and waits for it.
func (p *nodeProcess) kill() {
	if !p.running() {
		return
	}
	p.cmd.Process.Kill()
	<-p.exited
}

// pause and resume send SIGSTOP and SIGCONT.
func (p *nodeProcess) pause() {
	if p.running() && !p.stopped {
		p.cmd.Process.Signal(syscall.SIGSTOP)
		p.stopped = true
	}
}

func (p *nodeProcess) resume() {
	if p.running() && p.stopped {
		p.cmd.Process.Signal(syscall.SIGCONT)
		p.stopped = false
	}
}

// stop sends SIGTERM, and SIGKILL after 15 s.
func (p *nodeProcess) stop() {
	if !p.running() {
		return
	}
	p.resume()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

// pid returns the process id, or 0 when it is not running.
func (p *nodeProcess) pid() int {
	if !p.running() {
		return 0
	}
	return p.cmd.Process.Pid
}
