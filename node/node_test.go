package node

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/internal/testassets"
)

// herBox is where the demo client's face is in sample3.jpg: the middle of three faces.
func isHerBox(box [4]int) bool { return box[0] > 900 && box[2] < 1400 }

// TestNode_EnrollIdentifyForget walks the main path on real photos: enroll a client from one
// photo, identify her in another among strangers, then erase her.
func TestNode_EnrollIdentifyForget(t *testing.T) {
	tn := mustStartNode(t, nil)
	id := tn.mustEnroll(t, "Claire Dubois", map[string][]byte{
		"claire.jpg": sampleCrop(t, tn, "sample1.jpg"),
	})

	faces := tn.mustIdentify(t, testassets.ReadFile(t, testassets.Sample(t, "sample3.jpg")))
	if len(faces) != 3 {
		t.Fatalf("identified %d faces in sample3, want 3", len(faces))
	}
	for _, f := range faces {
		if isHerBox(f.Box) {
			if f.Decision != "match" || f.Customer == nil || f.Customer.ID != id {
				t.Errorf("her face: decision %q customer %+v, want match with %s",
					f.Decision, f.Customer, id)
			}
			continue
		}
		if f.Decision == "match" {
			t.Errorf("stranger at %v matched %+v", f.Box, f.Customer)
		}
	}

	for _, name := range []string{"sample2.jpg", "sample4.jpg", "sample5.jpg", "sample6.jpg"} {
		for _, f := range tn.mustIdentify(t, testassets.ReadFile(t, testassets.Sample(t, name))) {
			if f.Decision == "match" {
				t.Errorf("%s: stranger at %v matched %+v", name, f.Box, f.Customer)
			}
		}
	}

	status, body := tn.call(t, "DELETE", "/v1/customers/"+id, "", nil)
	if status != http.StatusOK {
		t.Fatalf("forget: %d %s", status, body)
	}
	if status, _ := tn.call(t, "GET", "/v1/customers/"+id, "", nil); status != http.StatusGone {
		t.Errorf("get after forget: %d, want 410", status)
	}
	if status, _ := tn.call(t, "GET", "/v1/customers/"+id+"/export", "", nil); status != http.StatusGone {
		t.Errorf("export after forget: %d, want 410", status)
	}
	for _, f := range tn.mustIdentify(t, testassets.ReadFile(t, testassets.Sample(t, "sample3.jpg"))) {
		for _, c := range f.Candidates {
			if c.ID == id {
				t.Errorf("forgotten client still a candidate at %v", f.Box)
			}
		}
	}
}

// TestNode_SharedFacesNeverWrongName enrolls three people of the labelled photos and checks,
// with each engine and its default thresholds, that no photo of anyone is greeted with
// someone else's name.
func TestNode_SharedFacesNeverWrongName(t *testing.T) {
	dir := testassets.SharedFaces(t)
	read := func(name string) []byte { return testassets.ReadFile(t, filepath.Join(dir, name)) }
	probes := map[string]string{
		"bona2.jpg": "bona", "bona3.jpg": "bona", "bona4.jpg": "bona",
		"eunseo3.jpg": "eunseo", "jimin6.jpg": "jimin", "jimin7.jpg": "jimin",
		"chaeyeon2.jpg": "", "eunwoo.jpg": "", "luda.jpg": "", "nana.jpg": "", "rena.jpg": "",
		"seulgi.jpg": "", "tzuyu.jpg": "", "yujin.jpg": "",
	}

	for _, engine := range []string{EngineONNX, EngineDlib} {
		t.Run(engine, func(t *testing.T) {
			tn := mustStartNode(t, func(c *Config) {
				c.Engine = engine
				c.Thresholds = ThresholdsFor(engine)
			})
			ids := map[string]string{
				"bona": tn.mustEnroll(t, "Bona", map[string][]byte{"bona.jpg": read("bona.jpg")}),
				"eunseo": tn.mustEnroll(t, "Eunseo",
					map[string][]byte{"eunseo2.jpg": read("eunseo2.jpg")}),
				"jimin": tn.mustEnroll(t, "Jimin",
					map[string][]byte{"jimin5.jpg": read("jimin5.jpg")}),
			}

			matched := 0
			for file, person := range probes {
				for _, f := range tn.mustIdentify(t, read(file)) {
					if f.Decision != "match" {
						continue
					}
					if person == "" || f.Customer.ID != ids[person] {
						t.Errorf("%s (%s) greeted as %s", file, orStranger(person),
							f.Customer.Name)
						continue
					}
					matched++
				}
			}
			t.Logf("%d of 6 known-person probes matched automatically; the rest go to staff",
				matched)
		})
	}
}

func orStranger(person string) string {
	if person == "" {
		return "a stranger"
	}
	return person
}

// TestNode_CameraArrivalOnEvents plays a camera folder and reads her arrival from the event
// stream.
func TestNode_CameraArrivalOnEvents(t *testing.T) {
	cameraDir := t.TempDir()
	tn := mustStartNode(t, func(c *Config) {
		c.Camera = cameraDir
		c.CameraFPS = 1
	})
	id := tn.mustEnroll(t, "Claire Dubois", map[string][]byte{
		"claire.jpg": sampleCrop(t, tn, "sample1.jpg"),
	})

	// Subscribe first, then put the photos in the folder the camera reads; until then the
	// camera fails on the empty folder and is retried.
	req, _ := http.NewRequest("GET", tn.url+"/v1/events?access_token="+tn.token, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("events: %d", res.StatusCode)
	}
	copySample(t, "sample2.jpg", filepath.Join(cameraDir, "01.jpg"))
	copySample(t, "sample3.jpg", filepath.Join(cameraDir, "02.jpg"))

	arrivals := readArrivals(t, res, 60*time.Second, func(a Arrival) bool {
		return a.Customer != nil && a.Customer.ID == id
	})
	her := arrivals[len(arrivals)-1]
	if her.Decision != "match" {
		t.Errorf("her arrival decision %q, want match", her.Decision)
	}
	if !strings.HasPrefix(her.Crop, "data:image/jpeg;base64,") {
		t.Errorf("arrival has no face crop")
	}
	for _, a := range arrivals[:len(arrivals)-1] {
		if a.Decision == "match" {
			t.Errorf("stranger arrival matched %+v", a.Customer)
		}
	}
}

func copySample(t *testing.T, name, dst string) {
	t.Helper()
	if err := os.WriteFile(dst, testassets.ReadFile(t, testassets.Sample(t, name)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readArrivals reads arrival events until one satisfies stop, or fails after timeout.
func readArrivals(t *testing.T, res *http.Response, timeout time.Duration,
	stop func(Arrival) bool) []Arrival {
	t.Helper()
	type line struct {
		text string
		err  error
	}
	lines := make(chan line)
	go func() {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			lines <- line{text: sc.Text()}
		}
		lines <- line{err: sc.Err()}
	}()

	var got []Arrival
	deadline := time.After(timeout)
	for {
		select {
		case <-deadline:
			t.Fatalf("no expected arrival within %v; got %d others", timeout, len(got))
		case l := <-lines:
			if l.err != nil || !strings.HasPrefix(l.text, "data: ") {
				if l.err != nil {
					t.Fatalf("event stream: %v", l.err)
				}
				continue
			}
			var a Arrival
			if err := json.Unmarshal([]byte(strings.TrimPrefix(l.text, "data: ")), &a); err != nil {
				t.Fatalf("decode arrival: %v", err)
			}
			got = append(got, a)
			if stop(a) {
				return got
			}
		}
	}
}
