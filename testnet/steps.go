package testnet

import (
	"errors"
	"fmt"
	"image"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/omotenashi/omotenashi/vision"
)

// runStep plays one step and records when it ran, how long it took and its outcome.
func (r *runner) runStep(i int, st Step) {
	started := time.Now()
	r.logf("step %d: %s %s", i+1, st.Do, describe(st))
	err := r.do(st)
	sr := StepReport{Index: i + 1, Do: st.Do, Args: describe(st), Note: st.Note,
		AtMS: ms(started.Sub(r.started)), TookMS: ms(time.Since(started)), OK: err == nil}
	if err != nil {
		sr.Error = err.Error()
		r.logf("step %d failed: %v", i+1, err)
		if strings.HasPrefix(st.Do, "expect-") || !st.Optional {
			r.report.Failures = append(r.report.Failures, fmt.Sprintf("step %d (%s %s): %v",
				i+1, st.Do, describe(st), err))
		}
	}
	r.report.Steps = append(r.report.Steps, sr)
}

func (r *runner) do(st Step) error {
	switch st.Do {
	case "enroll":
		return r.enroll(st)
	case "enroll-many":
		return r.enrollMany(st)
	case "appear":
		return r.appear(st)
	case "purchase":
		return r.purchase(st)
	case "measure-lag":
		return r.measureLag(st)
	case "forget":
		return r.forget(st)
	case "partition":
		return r.partition(st.Isolate)
	case "heal":
		return r.heal()
	case "crash":
		return r.crash(st)
	case "restart":
		return r.restart(st)
	case "outage":
		return r.startOutage(st)
	case "end-outage":
		return r.endOutage()
	case "wait":
		return r.sleep(time.Duration(st.For))
	case "wait-groups":
		return r.waitGroups(durationOr(st.Within, 2*time.Minute))
	case "catalog":
		return r.importCatalog(st)
	default:
		return r.expect(st)
	}
}

func describe(st Step) string {
	s := ""
	add := func(k, v string) {
		if v != "" {
			s += k + "=" + v + " "
		}
	}
	add("node", st.Node)
	add("client", st.Client)
	add("scope", st.Scope)
	add("sku", st.SKU)
	add("isolate", st.Isolate)
	add("group", st.Group)
	add("mode", st.Mode)
	if st.Within > 0 {
		add("within", time.Duration(st.Within).String())
	}
	if st.For > 0 {
		add("for", time.Duration(st.For).String())
	}
	if st.Count > 0 {
		add("count", fmt.Sprint(st.Count))
	}
	return s
}

func durationOr(d Duration, fallback time.Duration) time.Duration {
	if d <= 0 {
		return fallback
	}
	return time.Duration(d)
}

func (r *runner) sleep(d time.Duration) error {
	select {
	case <-r.ctx.Done():
		return r.ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// node resolves a step's node: a name, "@outage" (a node of the darkened region) or
// "@outside" (a reachable node of another region).
func (r *runner) node(name string) (*nodeProcess, error) {
	switch name {
	case "@outage", "@outside":
		if r.outage == nil {
			return nil, fmt.Errorf("%s: no outage is in progress", name)
		}
		for _, p := range r.nodes {
			in := p.spec.Region == r.outage.region
			if (name == "@outage") == in && (in || p.reachable()) {
				return p, nil
			}
		}
		return nil, fmt.Errorf("%s: no such node", name)
	}
	p, ok := r.byName[name]
	if !ok {
		return nil, fmt.Errorf("unknown node %q", name)
	}
	return p, nil
}

// photo returns the bytes of a photo, cropped to the face at its point when it has one.
func (r *runner) photo(ref PhotoRef) ([]byte, error) {
	data, err := os.ReadFile(r.photoPath(ref.File))
	if err != nil {
		return nil, fmt.Errorf("read photo: %w", err)
	}
	if ref.Point == nil {
		return data, nil
	}
	boxes, err := r.faceBoxes(data)
	if err != nil {
		return nil, fmt.Errorf("faces of %s: %w", ref.File, err)
	}
	pt := image.Pt(ref.Point[0], ref.Point[1])
	i := slices.IndexFunc(boxes, func(b image.Rectangle) bool { return pt.In(b) })
	if i < 0 {
		return nil, fmt.Errorf("no face at %v in %s (%d faces found)", *ref.Point, ref.File,
			len(boxes))
	}
	return vision.CropJPEG(data, vision.DefaultLimits(), boxes[i], 400)
}

// faceBoxes returns the faces a reachable node finds in a photo.
func (r *runner) faceBoxes(data []byte) ([]image.Rectangle, error) {
	for _, p := range r.nodes {
		if !p.reachable() {
			continue
		}
		faces, err := p.identify(data)
		if err != nil {
			return nil, err
		}
		var boxes []image.Rectangle
		for _, f := range faces {
			boxes = append(boxes, image.Rect(f.Box[0], f.Box[1], f.Box[2], f.Box[3]))
		}
		return boxes, nil
	}
	return nil, errors.New("no reachable node to find faces")
}

// scopeNodes returns the nodes a client of scope enrolled at home replicates to.
func (r *runner) scopeNodes(home *nodeProcess, scope string) []*nodeProcess {
	var out []*nodeProcess
	for _, p := range r.nodes {
		switch {
		case scope == "store" && p == home,
			scope == "brand" && p.spec.Brand == home.spec.Brand && p.spec.Group == home.spec.Group,
			scope == "group" && p.spec.Group == home.spec.Group:
			out = append(out, p)
		}
	}
	return out
}

func (r *runner) enroll(st Step) error {
	p, err := r.node(st.Node)
	if err != nil {
		return err
	}
	spec := r.sc.Clients[st.Client]
	c := &client{key: st.Client, name: spec.Name, scope: st.Scope, home: p,
		purchases: map[string]int{}, lastAppear: map[string]time.Time{}}
	if c.photo, err = r.photo(spec.Photo); err != nil {
		return fmt.Errorf("client %s: %w", st.Client, err)
	}
	c.appears = c.photo
	if spec.Appears != nil {
		if c.appears, err = r.photo(*spec.Appears); err != nil {
			return fmt.Errorf("client %s: %w", st.Client, err)
		}
	}

	c.enrolledAt = time.Now()
	if c.id, err = p.enroll(spec.Name, st.Scope, c.photo, false); err != nil {
		return err
	}
	r.clients[st.Client] = c
	r.trackRecognizable(c, true)
	return nil
}

func (r *runner) appear(st Step) error {
	if r.camera == nil {
		return errors.New("the scenario runs without cameras")
	}
	c, p, err := r.clientAt(st)
	if err != nil {
		return err
	}
	frames := st.Frames
	if frames == 0 {
		frames = 3
	}
	c.lastAppear[p.spec.Name] = time.Now()
	r.camera.appear(p.spec.Name, c.appears, frames)
	return nil
}

// clientAt returns the step's enrolled client and node.
func (r *runner) clientAt(st Step) (*client, *nodeProcess, error) {
	c, ok := r.clients[st.Client]
	if !ok {
		return nil, nil, fmt.Errorf("client %s is not enrolled yet", st.Client)
	}
	p, err := r.node(st.Node)
	return c, p, err
}

func (r *runner) purchase(st Step) error {
	c, p, err := r.clientAt(st)
	if err != nil {
		return err
	}
	sku := st.SKU
	if sku == "" {
		sku = fmt.Sprintf("%s-%s-%d", st.Client, p.spec.Name, len(c.purchases)+1)
	}
	if _, dup := c.purchases[sku]; dup {
		return fmt.Errorf("SKU %s written twice by the scenario: SKUs must be unique", sku)
	}
	status := p.purchase(c.id, sku)
	c.purchases[sku] = status
	r.logf("purchase %s at %s: status %d", sku, p.spec.Name, status)
	if status != http.StatusCreated && status != http.StatusAccepted {
		return fmt.Errorf("purchase %s at %s: status %d", sku, p.spec.Name, status)
	}
	return nil
}

func (r *runner) forget(st Step) error {
	c, p, err := r.clientAt(st)
	if err != nil {
		return err
	}
	status, data, err := p.call("DELETE", "/v1/customers/"+c.id, "", nil, 30*time.Second)
	if err != nil {
		return err
	}
	if status != http.StatusOK && status != http.StatusAccepted {
		return fmt.Errorf("forget at %s: status %d: %s", p.spec.Name, status, data)
	}
	return nil
}
