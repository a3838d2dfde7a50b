package node

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// newBrowser starts headless Chromium from Debian's package, skipping the test when it is
// not installed (make deps installs it), with the flags that keep it off the network.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed: run make deps")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(800, 1280), // a tablet held in portrait
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// TestPage_ShowsArrival opens the staff page in a real browser while the camera
// plays her photo, and waits for her card with her history.
func TestPage_ShowsArrival(t *testing.T) {
	ctx := newBrowser(t)
	cameraDir := t.TempDir()
	tn := mustStartNode(t, func(c *Config) {
		c.Camera = cameraDir
		c.CameraFPS = 1
	})
	id := tn.mustEnroll(t, "Claire Dubois", map[string][]byte{
		"claire.jpg": sampleCrop(t, tn, "sample1.jpg"),
	})
	if err := tn.store.RecordPurchase(id, purchaseOf("Pearl-embroidered evening bag")); err != nil {
		t.Fatal(err)
	}
	birthday := time.Now().AddDate(0, 0, 3).Format("01-02")
	tn.mustCall(t, http.StatusCreated, "PUT", "/v1/customers/"+id+"/details",
		`{"name":"Claire Dubois","important_dates":[{"label":"Birthday","date":"`+birthday+`"}]}`)

	openStaffPage(t, ctx, tn)
	waitFor(t, ctx, `document.querySelector("#conn.live") !== null`, 20*time.Second)
	copySample(t, "sample3.jpg", filepath.Join(cameraDir, "01.jpg"))
	waitFor(t, ctx, `document.querySelector(".card .badge.match") !== null`, 60*time.Second)

	heading, err := chromedp.Run(ctx, chromedp.Text(`.card:has(.badge.match)`))
	if err != nil {
		t.Fatalf("read her card: %v", err)
	}
	screenshot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if !strings.Contains(heading, "Claire Dubois") {
		t.Errorf("card reads %q, want her name", heading)
	}
	if !strings.Contains(heading, "Pearl-embroidered evening bag") {
		t.Errorf("card reads %q, want her purchase", heading)
	}
	if !strings.Contains(heading, "Birthday in 3 days") {
		t.Errorf("card reads %q, want her birthday in 3 days", heading)
	}
	saveArtifact(t, "staff-page.png", screenshot)
}

// TestPage_EditsDetailsAndPreferences fills in the forms of a client's page and checks
// what the node stored.
func TestPage_EditsDetailsAndPreferences(t *testing.T) {
	ctx := newBrowser(t)
	tn := mustStartNode(t, nil)
	id := tn.mustEnroll(t, "Claire Dubois", map[string][]byte{
		"claire.jpg": sampleCrop(t, tn, "sample1.jpg"),
	})

	openStaffPage(t, ctx, tn)
	openClientPage(t, ctx, "Claire")

	mustDo(t, ctx, "edit her details",
		chromedp.SendKeys(`form[data-kind=details] input[name=address]`, "Madame Dubois"),
		chromedp.SendKeys(`form[data-kind=details] input[name=favorite_assistant]`, "Inès"),
		chromedp.SendKeys(`form[data-kind=details] textarea`, "Birthday: 03-14"),
		chromedp.Click(`form[data-kind=details] button`))
	waitFor(t, ctx, `(document.querySelector("#client")?.innerText || "")`+
		`.includes("every year")`, 10*time.Second)
	mustDo(t, ctx, "edit her preferences",
		chromedp.SendKeys(`form[data-kind=preferences] input[name=sizes]`, "38, M"),
		chromedp.SendKeys(`form[data-kind=preferences] input[name=dislikes]`, "fur"),
		chromedp.Click(`form[data-kind=preferences] button`))
	waitFor(t, ctx, `(document.querySelector("#client")?.innerText || "")`+
		`.includes("Sizes: 38, M")`, 10*time.Second)

	c, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Address != "Madame Dubois" || c.FavoriteAssistant != "Inès" ||
		len(c.ImportantDates) != 1 || c.ImportantDates[0].Date != "03-14" {
		t.Errorf("stored details = %+v", c.Details())
	}
	if strings.Join(c.Preferences.Sizes, ",") != "38,M" ||
		strings.Join(c.Preferences.Dislikes, ",") != "fur" {
		t.Errorf("stored preferences = %+v", c.Preferences)
	}

	mustDo(t, ctx, "record a purchase with a price that is not a number",
		chromedp.SendKeys(`form[data-kind=purchase] input[name=sku]`, "BAG-001"),
		chromedp.SendKeys(`form[data-kind=purchase] input[name=extra]`, "abc"),
		chromedp.Click(`form[data-kind=purchase] button`))
	waitFor(t, ctx, `(document.querySelector("form[data-kind=purchase] .msg")?.innerText || "")`+
		`.includes("must be a number")`, 10*time.Second)
	if n := tn.purchaseCount(t, id); n != 0 {
		t.Errorf("%d purchases stored from a price that is not a number, want none", n)
	}

	mustDo(t, ctx, "enter a date that does not exist",
		chromedp.SendKeys(`form[data-kind=details] textarea`, "\nName day: 02-30"),
		chromedp.Click(`form[data-kind=details] button`))
	waitFor(t, ctx, `(document.querySelector("form[data-kind=details] .msg")?.innerText || "")`+
		`.includes("02-30")`, 10*time.Second)
}

// mustDo runs browser actions with a ten-second limit, failing the test with the page's
// text when one fails.
func mustDo(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, actions...); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%s: %v; the page reads:\n%s", step, err, text)
	}
}

// waitFor polls a JavaScript condition in the page until it holds, failing the test after
// timeout.
func waitFor(t *testing.T, ctx context.Context, condition string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](condition))
		if err != nil {
			t.Fatalf("evaluate %s: %v", condition, err)
		}
		if ok {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("page: %s still false after %v", condition, timeout)
}

// saveArtifact writes a test artifact into OMOTENASHI_ARTIFACTS, or the test's temporary
// folder when it is not set, and logs where.
func saveArtifact(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := os.Getenv("OMOTENASHI_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %s", path)
}

// TestPage_SuggestsRestockedInquiry records, from the client's page, an inquiry for
// slippers out of stock, restocks them, plays her photo on the camera, and checks that her
// arrival card suggests the slippers first.
func TestPage_SuggestsRestockedInquiry(t *testing.T) {
	ctx := newBrowser(t)
	cameraDir := t.TempDir()
	tn := mustStartNode(t, func(c *Config) {
		c.Camera = cameraDir
		c.CameraFPS = 1
	})
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)
	id := tn.mustEnroll(t, "Claire Dubois", map[string][]byte{
		"claire.jpg": sampleCrop(t, tn, "sample1.jpg"),
	})
	tn.mustCall(t, http.StatusCreated, "PUT", "/v1/customers/"+id+"/preferences",
		`{"sizes":["38"]}`)
	tn.mustCall(t, http.StatusCreated, "POST", "/v1/customers/"+id+"/purchases",
		`{"sku":"JEW-001"}`)

	openStaffPage(t, ctx, tn)
	waitFor(t, ctx, `document.querySelector("#conn.live") !== null`, 20*time.Second)
	openClientPage(t, ctx, "Claire")
	mustDo(t, ctx, "record an inquiry",
		chromedp.SendKeys(`form[data-kind=inquiry] input[name=sku]`, "SHO-010"),
		chromedp.Click(`form[data-kind=inquiry] button`))
	waitFor(t, ctx, `(document.querySelector("#client")?.innerText || "")`+
		`.includes("Nude satin slippers")`, 20*time.Second)
	before, err := chromedp.Run(ctx, chromedp.Evaluate[int](
		`document.querySelectorAll('#client .suggestions li[data-sku="SHO-010"]').length`))
	if err != nil {
		t.Fatal(err)
	}
	if before != 0 {
		t.Errorf("slippers suggested on her page while out of stock")
	}

	tn.mustCall(t, http.StatusOK, "PUT", "/v1/catalog/SHO-010/stock", `{"stock":1}`)
	mustDo(t, ctx, "show arrivals", chromedp.Click(`#tab-arrivals`))
	copySample(t, "sample3.jpg", filepath.Join(cameraDir, "01.jpg"))
	waitFor(t, ctx, `document.querySelector(".card .badge.match") !== null`, 60*time.Second)

	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.querySelector(".card:has(.badge.match) .suggestions li").innerText`))
	if err != nil {
		t.Fatalf("read her first suggestion: %v", err)
	}
	consent, err := chromedp.Run(ctx, chromedp.Text(`.card:has(.badge.match) .consent`))
	if err != nil {
		t.Fatalf("read her consent: %v", err)
	}
	screenshot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	saveArtifact(t, "staff-page-suggestions.png", screenshot)

	if !strings.Contains(first, "Nude satin slippers") {
		t.Errorf("first suggestion reads %q, want the restocked slippers", first)
	}
	if !strings.Contains(first, "She asked about") {
		t.Errorf("first suggestion reads %q, want the reason", first)
	}
	if !strings.Contains(consent, "brand") || !strings.Contains(consent, "since") {
		t.Errorf("consent reads %q, want her scope and since when", consent)
	}
}

// TestPage_DoubleTapRecordsOnce submits the purchase form twice in a row, as a double tap
// would, and checks that one purchase is stored.
func TestPage_DoubleTapRecordsOnce(t *testing.T) {
	ctx := newBrowser(t)
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)
	id := tn.mustEnroll(t, "Claire Dubois", map[string][]byte{
		"claire.jpg": sampleCrop(t, tn, "sample1.jpg"),
	})

	openStaffPage(t, ctx, tn)
	openClientPage(t, ctx, "Claire")
	mustDo(t, ctx, "tap Record twice",
		chromedp.SendKeys(`form[data-kind=purchase] input[name=sku]`, "BAG-001"),
		chromedp.Evaluate[chromedp.Void](`(() => {
			const f = document.querySelector("form[data-kind=purchase]");
			f.requestSubmit(); f.requestSubmit();
		})()`))
	waitFor(t, ctx, `(document.querySelector("#client")?.innerText || "")`+
		`.includes("Pearl-embroidered evening bag")`, 10*time.Second)
	time.Sleep(time.Second) // time for a second request to land

	if n := tn.purchaseCount(t, id); n != 1 {
		t.Errorf("%d purchases stored from a double tap, want 1", n)
	}
}

// openClientPage searches the staff page for a client by name, opens the first hit and
// waits until her page shows its forms.
func openClientPage(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	mustDo(t, ctx, "search "+name, chromedp.Click(`#tab-clients`),
		chromedp.SendKeys(`#q`, name), chromedp.Click(`#search button`))
	waitFor(t, ctx, `document.querySelector(".hit") !== null`, 10*time.Second)
	mustDo(t, ctx, "open the page of "+name, chromedp.Evaluate[chromedp.Void](
		`document.querySelector(".hit").click()`))
	waitFor(t, ctx, `document.querySelector("form[data-kind=details]") !== null`,
		10*time.Second)
}

// TestPage_ConfirmAmbiguousArrival plays a photo with a woman who looks somewhat like the
// client. Her card must show the client as a candidate, with the facts that set clients
// apart. Staff confirm her from the page, and the face must join the client's samples.
func TestPage_ConfirmAmbiguousArrival(t *testing.T) {
	ctx := newBrowser(t)
	cameraDir := t.TempDir()
	tn := mustStartNode(t, func(c *Config) {
		c.Camera = cameraDir
		c.CameraFPS = 1
	})
	id := tn.mustEnroll(t, "Claire Dubois", map[string][]byte{
		"claire.jpg": sampleCrop(t, tn, "sample1.jpg"),
	})
	tn.mustCall(t, http.StatusCreated, "PUT", "/v1/customers/"+id+"/details",
		`{"name":"Claire Dubois","address":"Madame Dubois","favorite_assistant":"Aiko"}`)
	if err := tn.store.RecordPurchase(id, purchaseOf("Pearl-embroidered evening bag")); err != nil {
		t.Fatal(err)
	}
	before, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}

	openStaffPage(t, ctx, tn)
	waitFor(t, ctx, `document.querySelector("#conn.live") !== null`, 20*time.Second)
	copySample(t, "sample3.jpg", filepath.Join(cameraDir, "01.jpg"))
	waitFor(t, ctx, `document.querySelector('.cand[data-id="`+id+`"]') !== null`,
		60*time.Second)

	text, err := chromedp.Run(ctx, chromedp.Text(`.cand[data-id="`+id+`"]`))
	if err != nil {
		t.Fatalf("read the candidate: %v", err)
	}
	for _, want := range []string{"Madame Dubois", "usually served by Aiko",
		"Pearl-embroidered evening bag"} {
		if !strings.Contains(text, want) {
			t.Errorf("candidate reads %q, want %q", text, want)
		}
	}
	screenshot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		saveArtifact(t, "staff-page-ambiguous.png", screenshot)
	}

	mustDo(t, ctx, "confirm her", chromedp.Click(`.cand[data-id="`+id+`"] button`))
	waitFor(t, ctx, `document.querySelector('.cand[data-id="`+id+`"]') === null`,
		10*time.Second)
	after, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Descriptors) <= len(before.Descriptors) {
		t.Errorf("descriptors %d after confirming, want more than %d",
			len(after.Descriptors), len(before.Descriptors))
	}
}

// openStaffPage opens the node's staff page with its manager token.
func openStaffPage(t *testing.T, ctx context.Context, tn *testNode) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(tn.url+"/#token="+tn.token)); err != nil {
		t.Fatalf("open staff page: %v", err)
	}
}
