package testnet

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed scenarios/*.json
var builtins embed.FS

// ErrUnknownScenario is returned by Load for a name that is neither a built-in scenario
// nor a readable file.
var ErrUnknownScenario = errors.New("unknown scenario")

// Scenario is a topology of boutiques, the WAN between their regions, the clients it
// uses and the timed steps played against the nodes.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Engine is the recognition engine of every node. Default dlib-resnet, the lighter one.
	Engine string `json:"engine,omitempty"`
	// Profile is the nodes' gossip and Raft timing profile. Default wan.
	Profile string `json:"profile,omitempty"`
	// Nodes are the boutiques; the first one is the one every other joins through.
	Nodes []NodeSpec `json:"nodes,omitempty"`
	// Generate adds boutiques spread over regions and brands, for large topologies.
	Generate *Generate `json:"generate,omitempty"`
	WAN      WAN       `json:"wan"`
	Camera   Camera    `json:"camera"`
	// Clients are the clients steps refer to, by key.
	Clients map[string]ClientSpec `json:"clients,omitempty"`
	Steps   []Step                `json:"steps"`
}

// NodeSpec is one boutique of a topology.
type NodeSpec struct {
	Name   string `json:"name"`
	Brand  string `json:"brand"`
	Group  string `json:"group"`
	Region string `json:"region"`
	// Location is "LAT,LON": the node then fetches sister boutiques' stock every 2 s.
	Location string `json:"location,omitempty"`
}

// Generate describes Count boutiques named PREFIX-001 and on, assigned round-robin to the
// regions and brands, all in one group.
type Generate struct {
	Count   int      `json:"count"`
	Prefix  string   `json:"prefix,omitempty"`
	Regions []string `json:"regions"`
	Brands  []string `json:"brands"`
	Group   string   `json:"group"`
}

// WAN is the content of the file the nodes read with --wan: one-way latency per unordered
// region pair ("asia/eu"), jitter, packet loss from 0 to 1, and region pairs cut off from
// each other.
type WAN struct {
	LatencyMS  map[string]float64 `json:"latency_ms,omitempty"`
	JitterMS   float64            `json:"jitter_ms,omitempty"`
	Loss       float64            `json:"loss,omitempty"`
	Partitions [][2]string        `json:"partitions"`
}

// Camera is the configuration of the MJPEG streams the runner plays to every node.
type Camera struct {
	// Off runs the nodes without a camera, to save CPU in large topologies.
	Off bool `json:"off,omitempty"`
	// FPS is the frame rate of every stream. Default 1.
	FPS float64 `json:"fps,omitempty"`
	// Strangers are the photos played between appearances, shrunk to at most 800 pixels
	// wide. Default sample5.jpg.
	Strangers []string `json:"strangers,omitempty"`
}

// ClientSpec is a client: her name, the photo she is enrolled with, and the photo the
// camera shows when she appears.
type ClientSpec struct {
	Name  string   `json:"name"`
	Photo PhotoRef `json:"photo"`
	// Appears is the frame shown when she walks in. Default: her enrollment photo.
	Appears *PhotoRef `json:"appears,omitempty"`
}

// PhotoRef names a photo: a file of assets/samples ("sample1.jpg") or of the shared faces
// folder ("faces/bona.jpg"), and optionally a point of her face, so that only that face is
// cropped out of a group photo.
type PhotoRef struct {
	File  string  `json:"file"`
	Point *[2]int `json:"point,omitempty"`
}

// Step is one action or expectation. Do names it; the other fields are its arguments,
// and Steps documents which each takes.
type Step struct {
	Do     string `json:"do"`
	Node   string `json:"node,omitempty"`
	Client string `json:"client,omitempty"`
	// Scope is a consent scope: store, brand or group.
	Scope string `json:"scope,omitempty"`
	SKU   string `json:"sku,omitempty"`
	// Isolate is a region cut off from every other one by partition.
	Isolate string `json:"isolate,omitempty"`
	// Group is a Raft group such as brand:maison.
	Group string `json:"group,omitempty"`
	// Mode is the kind of outage: partition or crash.
	Mode   string   `json:"mode,omitempty"`
	Within Duration `json:"within,omitempty"`
	For    Duration `json:"for,omitempty"`
	Frames int      `json:"frames,omitempty"`
	Count  int      `json:"count,omitempty"`
	Every  int      `json:"every,omitempty"`
	Writes int      `json:"writes,omitempty"`
	From   []string `json:"from,omitempty"`
	// Photos are the photos whose faces enroll-many enrolls, in turn.
	Photos   []string `json:"photos,omitempty"`
	Note     string   `json:"note,omitempty"`
	Optional bool     `json:"optional,omitempty"`
	// CSV is the catalogue a catalog step imports, header row first.
	CSV string `json:"csv,omitempty"`
	// Rule is the recommendation rule an expect-suggested step requires, such as nearby.
	Rule string `json:"rule,omitempty"`
}

// Duration is a time.Duration written in JSON as a Go duration string ("1.5s").
type Duration time.Duration

// UnmarshalJSON parses a duration string such as "500ms".
func (d *Duration) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("duration %s: want a string such as \"2s\"", data)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// List returns the names of the built-in scenarios, sorted.
func List() []string {
	entries, _ := fs.ReadDir(builtins, "scenarios")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(names)
	return names
}

// Load returns the built-in scenario called name, or else the scenario in the file name.
func Load(name string) (*Scenario, error) {
	data, err := builtins.ReadFile(path.Join("scenarios", name+".json"))
	if err != nil {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("%w %q: not built in (%s) and not a readable file: %v",
			ErrUnknownScenario, name, strings.Join(List(), ", "), err)
	}
	return Parse(data)
}

// Parse decodes a scenario, rejecting unknown fields, and checks it.
func Parse(data []byte) (*Scenario, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var s Scenario
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("decode scenario: %w", err)
	}
	s.expand()
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	return &s, nil
}

// expand adds the generated boutiques and fills defaults.
func (s *Scenario) expand() {
	if s.Engine == "" {
		s.Engine = "dlib-resnet"
	}
	if s.Profile == "" {
		s.Profile = "wan"
	}
	if s.Camera.FPS == 0 {
		s.Camera.FPS = 1
	}
	if len(s.Camera.Strangers) == 0 {
		s.Camera.Strangers = []string{"sample5.jpg"}
	}
	if g := s.Generate; g != nil && len(g.Regions) > 0 && len(g.Brands) > 0 {
		prefix := g.Prefix
		if prefix == "" {
			prefix = "boutique"
		}
		for i := range g.Count {
			s.Nodes = append(s.Nodes, NodeSpec{Name: fmt.Sprintf("%s-%03d", prefix, i+1),
				Brand: g.Brands[i%len(g.Brands)], Group: g.Group,
				Region: g.Regions[i%len(g.Regions)]})
		}
	}
}

// Validate returns an error naming the first node, client or step that cannot run.
func (s *Scenario) Validate() error {
	if len(s.Nodes) == 0 {
		return errors.New("no nodes: list nodes or generate them")
	}
	seen := map[string]bool{}
	for _, n := range s.Nodes {
		if n.Name == "" || n.Brand == "" || n.Group == "" || n.Region == "" {
			return fmt.Errorf("node %+v: name, brand, group and region are required", n)
		}
		if seen[n.Name] {
			return fmt.Errorf("node %s listed twice", n.Name)
		}
		seen[n.Name] = true
	}
	for i, st := range s.Steps {
		if err := s.validateStep(st, seen); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, st.Do, err)
		}
	}
	return nil
}

func (s *Scenario) validateStep(st Step, nodes map[string]bool) error {
	need, ok := stepArgs[st.Do]
	if !ok {
		return fmt.Errorf("unknown action %q", st.Do)
	}
	if strings.Contains(need, "node") && !nodes[st.Node] && !strings.HasPrefix(st.Node, "@") {
		return fmt.Errorf("unknown node %q", st.Node)
	}
	if strings.Contains(need, "client") {
		if _, ok := s.Clients[st.Client]; !ok {
			return fmt.Errorf("unknown client %q", st.Client)
		}
	}
	if strings.Contains(need, "scope") && st.Scope != "store" && st.Scope != "brand" &&
		st.Scope != "group" {
		return fmt.Errorf("scope %q: want store, brand or group", st.Scope)
	}
	if strings.Contains(need, "isolate") && st.Isolate == "" {
		return errors.New("isolate: the region to cut off is required")
	}
	if strings.Contains(need, "group") && st.Group == "" {
		return errors.New("group: a Raft group such as brand:maison is required")
	}
	if strings.Contains(need, "csv") && st.CSV == "" {
		return errors.New("csv: the catalogue to import is required")
	}
	if strings.Contains(need, "sku") && st.SKU == "" {
		return errors.New("sku: the item to look for is required")
	}
	return nil
}

// stepArgs lists the arguments each action requires.
var stepArgs = map[string]string{
	"enroll":               "node client scope",
	"enroll-many":          "scope",
	"appear":               "node client",
	"purchase":             "node client",
	"measure-lag":          "client",
	"forget":               "node client",
	"partition":            "isolate",
	"heal":                 "",
	"crash":                "node",
	"restart":              "node",
	"outage":               "group",
	"end-outage":           "",
	"wait":                 "",
	"expect-recognized":    "node client",
	"expect-unrecognized":  "node client",
	"expect-absent":        "client",
	"expect-writes":        "client",
	"expect-leader":        "group",
	"wait-groups":          "",
	"catalog":              "node csv",
	"expect-suggested":     "node client sku",
	"expect-not-suggested": "node client sku",
}
