package node

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/node/recommend"
	"github.com/omotenashi/omotenashi/vision"
)

// processNode is one boutique node running as its own process on loopback.
type processNode struct {
	name   string
	dir    string
	url    string
	gossip string
	token  string
	bin    string
	args   []string
	cmd    *exec.Cmd
	log    *bytes.Buffer
}

// buildBinary builds the omotenashi command once for the mesh tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "omotenashi")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/omotenashi")
	cmd.Dir = testassets.Root()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build omotenashi: %v\n%s", err, out)
	}
	return bin
}

// meshKey writes a new mesh key with the binary and returns its path.
func meshKey(t *testing.T, bin string) string {
	t.Helper()
	key := filepath.Join(t.TempDir(), "mesh.key")
	if out, err := exec.Command(bin, "mesh", "keygen", key).CombinedOutput(); err != nil {
		t.Fatalf("mesh keygen: %v\n%s", err, out)
	}
	return key
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startProcess starts a node process of brand and region, joining join when set, and
// waits until it serves.
func startProcess(t *testing.T, bin, key, name, brand, region, join string) *processNode {
	t.Helper()
	p := newProcess(t, bin, key, name, brand, region, join)
	p.spawn(t)
	t.Cleanup(func() { p.stop() })
	p.readToken(t)
	return p
}

// newProcess prepares a node process without starting it.
func newProcess(t *testing.T, bin, key, name, brand, region, join string) *processNode {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	p := &processNode{name: name, dir: dir, log: &bytes.Buffer{},
		url:    fmt.Sprintf("http://127.0.0.1:%d", freePort(t)),
		gossip: fmt.Sprintf("127.0.0.1:%d", freePort(t))}
	onnxDir, onnxLib := testassets.ONNXModelDir(t)
	_ = onnxLib
	args := []string{"node", "--data", dir, "--listen", strings.TrimPrefix(p.url, "http://"),
		"--name", name, "--store", name, "--brand", brand, "--group", "atelier",
		"--region", region, "--mesh-key", key, "--gossip", p.gossip,
		"--p2p", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", freePort(t)), "--profile", "loopback",
		"--workers", "1", "--models", testassets.ModelDir(t), "--onnx-models", onnxDir}
	if join != "" {
		args = append(args, "--join", join)
	}
	if loc, ok := testLocations[name]; ok {
		args = append(args, "--location", loc, "--nearby-refresh", "1s")
	}
	p.bin, p.args = bin, args
	return p
}

// testLocations places the boutiques of the mesh tests: the two Paris boutiques are 1.0 km
// apart.
var testLocations = map[string]string{
	"paris":       "48.8661,2.3076", // avenue Montaigne
	"soeur-paris": "48.8686,2.3212", // rue du Faubourg Saint-Honoré
	"saigon":      "10.7769,106.7009",
	"newyork":     "40.7624,-73.9738",
}

// readToken reads the manager token the node wrote.
func (p *processNode) readToken(t *testing.T) {
	t.Helper()
	token, err := os.ReadFile(filepath.Join(p.dir, AdminTokenFile))
	if err != nil {
		t.Fatalf("%s admin token: %v", p.name, err)
	}
	p.token = strings.TrimSpace(string(token))
}

// spawn starts the node's process and waits until it serves.
func (p *processNode) spawn(t *testing.T) {
	t.Helper()
	p.start(t)
	p.waitServing(t)
}

// start starts the node's process without waiting.
func (p *processNode) start(t *testing.T) {
	t.Helper()
	p.cmd = exec.Command(p.bin, p.args...)
	p.cmd.Dir = testassets.Root()
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
}

func (p *processNode) waitServing(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(p.url + "/healthz")
		if err == nil {
			res.Body.Close()
			return
		}
		if p.cmd.ProcessState != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s did not start:\n%s", p.name, p.log)
}

// stop interrupts the node and waits for it.
func (p *processNode) stop() {
	if p.cmd.Process == nil || p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// identify posts a photo and returns the decisions.
func (p *processNode) identify(t *testing.T, photo []byte) []Identified {
	t.Helper()
	status, data := callWith(t, p.token, "POST", p.url+"/v1/identify", "image/jpeg",
		bytes.NewReader(photo))
	if status != http.StatusOK {
		t.Fatalf("%s identify: %d %s", p.name, status, data)
	}
	var out identifyResult
	mustUnmarshal(t, data, &out)
	return out.Faces
}

// enroll enrolls a client with a consent scope and returns her id.
func (p *processNode) enroll(t *testing.T, name, scope string, photo []byte) string {
	t.Helper()
	body, ct := enrollForm(t, map[string]string{"name": name, "consent": scope},
		map[string][]byte{"photo.jpg": photo})
	status, data := callWith(t, p.token, "POST", p.url+"/v1/customers", ct, body)
	if status != http.StatusCreated {
		t.Fatalf("%s enroll %s: %d %s", p.name, name, status, data)
	}
	var out struct{ ID string }
	mustUnmarshal(t, data, &out)
	return out.ID
}

// recognizes reports whether any face of photo is a candidate or match for id on p.
func (p *processNode) recognizes(t *testing.T, photo []byte, id string) bool {
	t.Helper()
	for _, f := range p.identify(t, photo) {
		if f.Customer != nil && f.Customer.ID == id {
			return true
		}
		for _, c := range f.Candidates {
			if c.ID == id {
				return true
			}
		}
	}
	return false
}

// eventually retries cond every 200 ms until it holds or timeout passes.
func eventually(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(200 * time.Millisecond)
	}
	return cond()
}

// faceCrop returns the face of a sample photo that contains point, cropped as a JPEG.
func faceCrop(t *testing.T, p *processNode, sample string, point [2]int) []byte {
	t.Helper()
	data := testassets.ReadFile(t, testassets.Sample(t, sample))
	for _, f := range p.identify(t, data) {
		box := f.Box
		if point[0] >= box[0] && point[0] < box[2] && point[1] >= box[1] && point[1] < box[3] {
			rect := imageRect(box)
			crop, err := vision.CropJPEG(data, vision.DefaultLimits(), rect, 400)
			if err != nil {
				t.Fatal(err)
			}
			return crop
		}
	}
	t.Fatalf("no face at %v in %s", point, sample)
	return nil
}

// dbHolds reports whether any file of a node's database contains text.
func dbHolds(t *testing.T, p *processNode, text string) []string {
	t.Helper()
	var found []string
	filepath.Walk(p.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(text)) {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// meshStatus reads a node's view of the mesh.
func (p *processNode) meshStatus(t *testing.T) MeshStatus {
	t.Helper()
	status, data := callWith(t, p.token, "GET", p.url+"/v1/mesh", "", nil)
	if status != http.StatusOK {
		t.Fatalf("%s mesh status: %d %s", p.name, status, data)
	}
	var st MeshStatus
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// groupSize returns the number of members of a group in p's status.
func groupSize(st MeshStatus, group string) int {
	return len(groupMembers(st, group, ""))
}

// groupMembers returns the names of a group's members of a role, or of any role for "".
func groupMembers(st MeshStatus, group, role string) []string {
	var names []string
	for _, g := range st.Groups {
		if g.Group != group {
			continue
		}
		for _, m := range g.Members {
			if role == "" || m.Role == role {
				names = append(names, m.Name)
			}
		}
	}
	return names
}

func imageRect(box [4]int) image.Rectangle { return image.Rect(box[0], box[1], box[2], box[3]) }

// TestMesh_ConsentScopes runs four boutiques as processes: three of the brand "maison" in
// three regions and one of the sister brand "soeur", all in the group "atelier". A brand
// client reaches the brand's boutiques only, a group client every boutique, a store client
// none but her own; a forget on another boutique erases her everywhere.
func TestMesh_ConsentScopes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four node processes: skipped with -short")
	}
	bin := buildBinary(t)
	key := meshKey(t, bin)

	paris := startProcess(t, bin, key, "paris", "maison", "eu", "")
	saigon := startProcess(t, bin, key, "saigon", "maison", "asia", paris.gossip)
	newyork := startProcess(t, bin, key, "newyork", "maison", "us", paris.gossip)
	soeur := startProcess(t, bin, key, "soeur-paris", "soeur", "eu", paris.gossip)
	nodes := []*processNode{paris, saigon, newyork, soeur}

	converged := eventually(30*time.Second, func() bool {
		st := paris.meshStatus(t)
		return groupSize(st, "brand:maison") == 3 && groupSize(st, "group:atelier") == 4
	})
	if !converged {
		t.Fatalf("groups did not form: %+v", paris.meshStatus(t).Groups)
	}

	// The demo client is in sample1 (enrollment crop) and sample3 (a different photo).
	claire := faceCrop(t, paris, "sample1.jpg", [2]int{1558, 340})
	claireAgain := testassets.ReadFile(t, testassets.Sample(t, "sample3.jpg"))
	brandID := paris.enroll(t, "Claire Brand", "brand", claire)

	if !eventually(10*time.Second, func() bool { return newyork.recognizes(t, claireAgain, brandID) }) {
		t.Errorf("brand client not recognized in New York from another photo")
	}
	if soeur.recognizes(t, claireAgain, brandID) {
		t.Errorf("brand client recognized at the sister brand")
	}

	// A stranger of sample2 becomes a group client, one of sample6 a store client.
	groupFace := faceCrop(t, paris, "sample2.jpg", [2]int{1537, 303})
	groupID := saigon.enroll(t, "Gabrielle Group", "group", groupFace)
	for _, n := range nodes {
		if !eventually(10*time.Second, func() bool { return n.recognizes(t, groupFace, groupID) }) {
			t.Errorf("group client not recognized at %s", n.name)
		}
	}
	checkSisterSuggestions(t, paris, saigon, soeur, groupID, brandID)
	checkReplayAcrossBoutiques(t, paris, saigon, groupID)

	storeFace := faceCrop(t, paris, "sample6.jpg", [2]int{364, 650})
	storeID := paris.enroll(t, "Solange Storeonly", "store", storeFace)
	if !paris.recognizes(t, storeFace, storeID) {
		t.Errorf("store client not recognized in her own boutique")
	}
	time.Sleep(2 * time.Second) // time in which a leak would have replicated
	for _, n := range nodes[1:] {
		if n.recognizes(t, storeFace, storeID) {
			t.Errorf("store client recognized at %s", n.name)
		}
		if files := dbHolds(t, n, "Solange Storeonly"); len(files) > 0 {
			t.Errorf("store client's name found at %s in %v", n.name, files)
		}
	}

	// A second brand client narrows her consent to store in Saigon: she leaves Paris and
	// New York, and Saigon keeps her.
	narrowFace := faceCrop(t, paris, "sample4.jpg", [2]int{722, 220})
	narrowID := paris.enroll(t, "Nadia Narrowed", "brand", narrowFace)
	if !eventually(10*time.Second, func() bool { return saigon.recognizes(t, narrowFace, narrowID) }) {
		t.Fatalf("brand client not replicated to Saigon")
	}
	status, data := callWith(t, saigon.token, "PUT", saigon.url+"/v1/customers/"+narrowID+
		"/consent", "application/json", strings.NewReader(`{"scope":"store"}`))
	if status != http.StatusCreated {
		t.Fatalf("narrow consent: %d %s", status, data)
	}
	for _, n := range []*processNode{paris, newyork} {
		left := eventually(10*time.Second, func() bool {
			status, _ := callWith(t, n.token, "GET", n.url+"/v1/customers/"+narrowID, "", nil)
			return status == http.StatusNotFound
		})
		if !left {
			t.Errorf("client narrowed to store still at %s", n.name)
		}
	}
	if !saigon.recognizes(t, narrowFace, narrowID) {
		t.Errorf("client narrowed to store no longer recognized in Saigon")
	}

	// Forget the brand client from Saigon: gone in every brand boutique.
	status, data = callWith(t, saigon.token, "DELETE", saigon.url+"/v1/customers/"+brandID, "", nil)
	if status != http.StatusOK {
		t.Fatalf("forget at saigon: %d %s", status, data)
	}
	for _, n := range nodes[:3] {
		gone := eventually(10*time.Second, func() bool {
			status, _ := callWith(t, n.token, "GET", n.url+"/v1/customers/"+brandID, "", nil)
			return status == http.StatusGone
		})
		if !gone {
			t.Errorf("forgotten client still readable at %s", n.name)
		}
		if n.recognizes(t, claireAgain, brandID) {
			t.Errorf("forgotten client still recognized at %s", n.name)
		}
		scrubbed := eventually(15*time.Second, func() bool {
			return len(dbHolds(t, n, "Claire Brand")) == 0
		})
		if !scrubbed {
			t.Errorf("forgotten client's name still on disk at %s: %v", n.name,
				dbHolds(t, n, "Claire Brand"))
		}
	}

}

// soeurCSV is the sister brand's catalogue in Paris: a pearl clutch in stock.
const soeurCSV = `sku,name,category,materials,colors,collection,sizes,price,currency,stock
SOE-CL-1,Soeur pearl clutch,bags,pearl|satin,ivory,Nuit,,2900,EUR,2
SOE-SC-1,Soeur wool scarf,scarves,wool,grey,Hiver,,400,EUR,5
`

// checkSisterSuggestions has the group client and the brand client buy pearl earrings in
// Paris, and checks that only the group client is shown the sister brand's pearl clutch
// 1.0 km away, and not in Saigon, which is far from it. It also edits the group client's
// details in Saigon and reads them in Paris.
func checkSisterSuggestions(t *testing.T, paris, saigon, soeur *processNode, groupID,
	brandID string) {
	t.Helper()
	paris.mustPost(t, "/v1/catalog", "text/csv", boutiqueCSV, http.StatusOK)
	soeur.mustPost(t, "/v1/catalog", "text/csv", soeurCSV, http.StatusOK)
	checkBrandCatalog(t, paris, saigon, soeur)
	for _, id := range []string{groupID, brandID} {
		paris.mustPost(t, "/v1/customers/"+id+"/purchases", "application/json",
			`{"sku":"JEW-001"}`, http.StatusCreated)
	}

	var nearbyItem recommend.Suggestion
	shown := eventually(15*time.Second, func() bool {
		for _, s := range paris.recommendations(t, groupID) {
			if s.SKU == "SOE-CL-1" {
				nearbyItem = s
				return true
			}
		}
		return false
	})
	if !shown {
		t.Fatalf("group client not shown the sister brand's clutch in Paris: %+v",
			paris.recommendations(t, groupID))
	}
	if nearbyItem.Rule != recommend.RuleNearby || nearbyItem.Boutique != "soeur-paris" ||
		!strings.Contains(nearbyItem.Reason, "1.0 km away") {
		t.Errorf("sister suggestion = %+v, want rule nearby at soeur-paris, 1.0 km away",
			nearbyItem)
	}
	for _, check := range []struct {
		p  *processNode
		id string
	}{{paris, brandID}, {saigon, groupID}} {
		for _, s := range check.p.recommendations(t, check.id) {
			if s.Rule == recommend.RuleNearby {
				t.Errorf("%s suggests %s of a sister boutique to %s", check.p.name, s.SKU,
					check.id)
			}
		}
	}

	saigon.mustPost(t, "/v1/customers/"+groupID+"/details", "application/json",
		`{"name":"Gabrielle Group","address":"Madame Group",`+
			`"important_dates":[{"label":"Birthday","date":"03-14"}]}`, http.StatusCreated)
	replicated := eventually(10*time.Second, func() bool {
		status, data := callWith(t, paris.token, "GET", paris.url+"/v1/customers/"+groupID,
			"", nil)
		return status == http.StatusOK && strings.Contains(string(data), "Madame Group")
	})
	if !replicated {
		t.Errorf("details set in Saigon not replicated to Paris")
	}
}

// checkReplayAcrossBoutiques sends one purchase with an Idempotency-Key to Paris, then
// the same request to Saigon, as a till would retry through another boutique, and checks
// that every replica records it once.
func checkReplayAcrossBoutiques(t *testing.T, paris, saigon *processNode, id string) {
	t.Helper()
	before := len(paris.purchases(t, id))
	for _, p := range []*processNode{paris, saigon} {
		req, err := http.NewRequest("POST", p.url+"/v1/customers/"+id+"/purchases",
			strings.NewReader(`{"sku":"SCA-001","price":1100}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+p.token)
		req.Header.Set("Idempotency-Key", "till-9-receipt-311")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
			t.Fatalf("purchase at %s: %d", p.name, res.StatusCode)
		}
	}
	time.Sleep(time.Second) // time in which a second copy would have replicated
	for _, p := range []*processNode{paris, saigon} {
		if got := len(p.purchases(t, id)); got != before+1 {
			t.Errorf("%s holds %d purchases, want %d: the retried one recorded once", p.name,
				got, before+1)
		}
	}
}

// purchases returns a client's purchases as p holds them.
func (p *processNode) purchases(t *testing.T, id string) []profile.Purchase {
	t.Helper()
	status, data := callWith(t, p.token, "GET", p.url+"/v1/customers/"+id, "", nil)
	if status != http.StatusOK {
		t.Fatalf("read client at %s: %d %s", p.name, status, data)
	}
	var c profile.Customer
	mustUnmarshal(t, data, &c)
	return c.Purchases
}

// checkBrandCatalog checks that the catalogue Paris imported reached Saigon, a boutique of
// the same brand, without Paris's stock, and did not reach the sister brand.
func checkBrandCatalog(t *testing.T, paris, saigon, soeur *processNode) {
	t.Helper()
	var item struct {
		Name  string         `json:"name"`
		Stock map[string]int `json:"stock"`
	}
	var status int
	var data []byte
	arrived := eventually(10*time.Second, func() bool {
		status, data = callWith(t, saigon.token, "GET", saigon.url+"/v1/catalog/BAG-001",
			"", nil)
		return status == http.StatusOK
	})
	if !arrived {
		t.Fatalf("Paris's catalogue item at Saigon: %d %s", status, data)
	}
	mustUnmarshal(t, data, &item)
	if item.Name != "Pearl-embroidered evening bag" || item.Stock[paris.name] != 0 ||
		len(item.Stock) != 0 {
		t.Errorf("item at Saigon = %+v, want the description without stock", item)
	}
	status, _ = callWith(t, soeur.token, "GET", soeur.url+"/v1/catalog/BAG-001", "", nil)
	if status != http.StatusNotFound {
		t.Errorf("Paris's catalogue item at the sister brand: %d, want 404", status)
	}
}

// mustPost sends a request with a body and fails the test unless the status is want.
// PUT for a details or preferences path, POST otherwise.
func (p *processNode) mustPost(t *testing.T, path, contentType, body string, want int) {
	t.Helper()
	method := "POST"
	if strings.HasSuffix(path, "/details") || strings.HasSuffix(path, "/preferences") {
		method = "PUT"
	}
	status, data := callWith(t, p.token, method, p.url+path, contentType,
		strings.NewReader(body))
	if status != want {
		t.Fatalf("%s %s at %s: %d %s, want %d", method, path, p.name, status, data, want)
	}
}

// recommendations returns a client's suggestions at p.
func (p *processNode) recommendations(t *testing.T, id string) []recommend.Suggestion {
	t.Helper()
	status, data := callWith(t, p.token, "GET", p.url+"/v1/customers/"+id+"/recommendations",
		"", nil)
	if status != http.StatusOK {
		t.Fatalf("recommendations at %s: %d %s", p.name, status, data)
	}
	var out struct{ Items []recommend.Suggestion }
	mustUnmarshal(t, data, &out)
	return out.Items
}

// leaderOf returns the node that p reports as a group's leader, or nil.
func leaderOf(t *testing.T, p *processNode, nodes []*processNode, group string) *processNode {
	t.Helper()
	for _, g := range p.meshStatus(t).Groups {
		if g.Group != group {
			continue
		}
		for _, n := range nodes {
			if g.Leader == n.name {
				return n
			}
		}
	}
	return nil
}

// purchase records a purchase of sku on p and returns the HTTP status.
func (p *processNode) purchase(t *testing.T, id, sku string) int {
	t.Helper()
	body := fmt.Sprintf(`{"sku":%q,"price":100,"currency":"EUR"}`, sku)
	status, data := callWithTimeout(t, p.token, "POST",
		p.url+"/v1/customers/"+id+"/purchases", strings.NewReader(body), 20*time.Second)
	if status != http.StatusCreated && status != http.StatusAccepted {
		t.Logf("%s purchase %s: %d %s", p.name, sku, status, data)
	}
	return status
}

// callWithTimeout is callWith for a node that may be paused or dead: it returns status 0
// when the request fails.
func callWithTimeout(t *testing.T, token, method, url string, body *strings.Reader,
	timeout time.Duration) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := (&http.Client{Timeout: timeout}).Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	return res.StatusCode, buf.Bytes()
}

// skuCounts returns how many times each SKU is among a client's purchases on p.
func (p *processNode) skuCounts(t *testing.T, id string) map[string]int {
	t.Helper()
	status, data := callWith(t, p.token, "GET", p.url+"/v1/customers/"+id, "", nil)
	if status != http.StatusOK {
		return nil
	}
	var c struct {
		Purchases []struct{ SKU string }
	}
	mustUnmarshal(t, data, &c)
	counts := map[string]int{}
	for _, pu := range c.Purchases {
		counts[pu.SKU]++
	}
	return counts
}

// TestMesh_FailoverAndOutbox kills the brand group's leader with SIGKILL in the middle of a
// stream of writes, then cuts a node off and lets it write into its outbox. Every write
// that was acknowledged (201) or queued (202) is applied exactly once on every survivor.
func TestMesh_FailoverAndOutbox(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three node processes: skipped with -short")
	}
	bin := buildBinary(t)
	key := meshKey(t, bin)
	paris := startProcess(t, bin, key, "paris", "maison", "eu", "")
	saigon := startProcess(t, bin, key, "saigon", "maison", "asia", paris.gossip)
	newyork := startProcess(t, bin, key, "newyork", "maison", "us", paris.gossip)
	nodes := []*processNode{paris, saigon, newyork}
	voters := eventually(30*time.Second, func() bool {
		return len(groupMembers(paris.meshStatus(t), "brand:maison", "voter")) == 3
	})
	if !voters {
		t.Fatalf("brand group has no three voters: %+v", paris.meshStatus(t).Groups)
	}

	leader := leaderOf(t, paris, nodes, "brand:maison")
	if leader == nil {
		t.Fatal("no leader")
	}
	var writer *processNode
	for _, n := range nodes {
		if n != leader {
			writer = n
			break
		}
	}
	id := writer.enroll(t, "Claire Brand", "brand", faceCrop(t, writer, "sample1.jpg",
		[2]int{1558, 340}))

	// A stream of 40 writes from a follower; the leader is killed after the 15th.
	written := map[string]int{}
	for i := range 40 {
		if i == 15 {
			leader.cmd.Process.Kill()
			leader.cmd.Wait()
		}
		sku := fmt.Sprintf("SKU-%02d", i)
		written[sku] = writer.purchase(t, id, sku)
	}
	var survivors []*processNode
	for _, n := range nodes {
		if n != leader {
			survivors = append(survivors, n)
		}
	}
	checkApplied(t, survivors, id, written)

	// The killed node comes back on its disk and catches up with what it missed.
	leader.spawn(t)
	checkApplied(t, nodes, id, written)

	// Cut New York off by pausing the other two. Its writes wait in its outbox with status
	// 202, and are applied once when the others are back.
	paused := []*processNode{}
	for _, n := range nodes {
		if n != newyork {
			n.cmd.Process.Signal(syscall.SIGSTOP)
			paused = append(paused, n)
		}
	}
	for i := range 5 {
		sku := fmt.Sprintf("CUT-%d", i)
		written[sku] = newyork.purchase(t, id, sku)
		if written[sku] != http.StatusAccepted {
			t.Errorf("write while cut off: status %d, want 202", written[sku])
		}
	}
	for _, n := range paused {
		n.cmd.Process.Signal(syscall.SIGCONT)
	}
	checkApplied(t, nodes, id, written)
	t.Logf("statuses of the writes: %v", written)
}

// checkApplied waits until every acknowledged or queued write is on every node, then
// checks that none is there twice.
func checkApplied(t *testing.T, nodes []*processNode, id string, written map[string]int) {
	t.Helper()
	for _, n := range nodes {
		complete := eventually(30*time.Second, func() bool {
			counts := n.skuCounts(t, id)
			for sku, status := range written {
				if (status == http.StatusCreated || status == http.StatusAccepted) &&
					counts[sku] == 0 {
					return false
				}
			}
			return true
		})
		if !complete {
			t.Errorf("%s lacks acknowledged writes: has %v", n.name, n.skuCounts(t, id))
		}
		for sku, count := range n.skuCounts(t, id) {
			if count > 1 {
				t.Errorf("%s applied %s %d times", n.name, sku, count)
			}
		}
	}
}

// TestMesh_NewGroupStartedTogether starts the first two boutiques of a new brand at the same
// moment: each sees the other and neither bootstraps the brand's group at once, so after a
// wait the one with the lowest peer id must.
func TestMesh_NewGroupStartedTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three node processes: skipped with -short")
	}
	bin := buildBinary(t)
	key := meshKey(t, bin)
	paris := startProcess(t, bin, key, "paris", "maison", "eu", "")
	first := newProcess(t, bin, key, "soeur-a", "soeur", "eu", paris.gossip)
	second := newProcess(t, bin, key, "soeur-b", "soeur", "asia", paris.gossip)
	for _, p := range []*processNode{first, second} {
		p.start(t)
		t.Cleanup(func() { p.stop() })
	}
	for _, p := range []*processNode{first, second} {
		p.waitServing(t)
		p.readToken(t)
	}

	led := eventually(40*time.Second, func() bool {
		for _, g := range first.meshStatus(t).Groups {
			if g.Group == "brand:soeur" && g.Leader != "" {
				return len(groupMembers(first.meshStatus(t), "brand:soeur", "")) == 2
			}
		}
		return false
	})
	if !led {
		t.Fatalf("brand:soeur has no leader with both members: %+v", first.meshStatus(t).Groups)
	}
}
