package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/omotenashi/omotenashi/node"
	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/vision"
)

// The demo client and the sample photos the demo camera plays. She is the woman at the top
// right of sample1.jpg, whose face is centred near demoFaceAt, enrolled from a crop of that
// photo; she appears again in sample3.jpg. The other faces are strangers.
const (
	demoName      = "Claire Dubois"
	demoAddress   = "Madame Dubois"
	demoEnrollPic = "sample1.jpg"
)

var demoFaceAt = image.Pt(1558, 340)

var demoCameraPics = []string{"sample2.jpg", "sample3.jpg", "sample4.jpg", "sample5.jpg",
	"sample6.jpg"}

// runDemo starts a node with a demo client enrolled and a camera playing sample photos in
// which she appears among strangers, and prints the staff page's address with a token.
func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	cfg := node.DefaultConfig("demo-data")
	cfg.StoreName = "Omotenashi Ginza (demo)"
	cfg.CameraFPS = 0.5
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	samples := fs.String("samples", filepath.Join("assets", "samples"),
		"folder of the npm sample photos")
	nodeFlags(fs, &cfg)
	if err := parseNodeFlags(fs, &cfg, args); err != nil {
		return err
	}

	// Listen first, so a busy port fails before models load and the client is enrolled.
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	defer ln.Close()

	cameraDir, err := prepareCamera(cfg.DataDir, *samples)
	if err != nil {
		return err
	}
	cfg.Camera = cameraDir

	n, err := node.Open(cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	if err := importDemoCatalog(n, cfg.StoreName); err != nil {
		return err
	}
	if err := enrollDemoClient(ctx, n, *samples); err != nil {
		return err
	}

	token, err := os.ReadFile(filepath.Join(cfg.DataDir, node.AdminTokenFile))
	if err != nil {
		return fmt.Errorf("read manager token: %w", err)
	}
	fmt.Fprintf(stdout, "\nDemo boutique running. Open the staff page:\n\n  http://%s/#token=%s\n\n"+
		"The camera plays %d sample photos, one every %.0f s; %s (%s) is in the second.\n"+
		"Stop with Ctrl-C.\n\n", ln.Addr(), strings.TrimSpace(string(token)),
		len(demoCameraPics), 1/cfg.CameraFPS, demoName, demoAddress)
	return n.Serve(ctx, ln)
}

// prepareCamera copies the camera's sample photos into a folder of the data directory.
func prepareCamera(dataDir, samples string) (string, error) {
	dir := filepath.Join(dataDir, "camera")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create demo camera folder: %w", err)
	}
	for i, name := range demoCameraPics {
		data, err := os.ReadFile(filepath.Join(samples, name))
		if err != nil {
			return "", fmt.Errorf("read sample photo (run `make assets`): %w", err)
		}
		dst := filepath.Join(dir, fmt.Sprintf("%02d-%s", i+1, name))
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return "", fmt.Errorf("write demo camera frame: %w", err)
		}
	}
	return dir, nil
}

// enrollDemoClient enrolls the demo client from a crop of her face in the enrollment photo,
// unless a previous run already did.
func enrollDemoClient(ctx context.Context, n *node.Node, samples string) error {
	existing, err := n.Store().List(demoName, 1)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return nil
	}

	data, err := os.ReadFile(filepath.Join(samples, demoEnrollPic))
	if err != nil {
		return fmt.Errorf("read sample photo (run `make assets`): %w", err)
	}
	photo, err := n.Faces(ctx, data)
	if err != nil {
		return fmt.Errorf("find faces in %s: %w", demoEnrollPic, err)
	}
	i := slices.IndexFunc(photo.Faces, func(f vision.Face) bool { return demoFaceAt.In(f.Box) })
	if i < 0 {
		return errors.New("demo client's face not found in the enrollment photo")
	}
	crop, err := vision.CropJPEG(data, vision.DefaultLimits(), photo.Faces[i].Box, 400)
	if err != nil {
		return err
	}

	c := &profile.Customer{
		Name: demoName, Address: demoAddress, Language: "fr", FavoriteAssistant: "Aiko",
		Consent: profile.Consent{Scope: profile.ScopeBrand, TextVersion: node.DefaultConsentText,
			TakenBy: "demo"},
	}
	c.Consent.GivenAt = time.Now().UTC()
	if _, err := n.Enroll(ctx, c, []node.Photo{{Name: demoEnrollPic, Data: crop}}, false); err != nil {
		return fmt.Errorf("enroll demo client: %w", err)
	}
	return recordDemoHistory(n.Store(), c.ID)
}

// demoCatalog is the demo boutique's catalogue: the slippers she asked about are back in
// her size, and a scarf of the collection of her bag is in stock.
const demoCatalog = `sku,name,category,materials,colors,collection,sizes,price,currency,stock
BAG-PEARL-01,Pearl-embroidered evening bag,bags,silk|pearl,ivory,Riviera,,2400,EUR,1
SLIP-NUDE-38,Nude leather slippers,shoes,leather,nude,Atelier,37|38|39,690,EUR,37:0|38:1|39:2
JEW-PEARL-02,Riviera pearl drop earrings,jewellery,pearl|gold,white,Riviera,,900,EUR,3
SCA-SILK-03,Riviera silk twill scarf,scarves,silk,ivory,Riviera,,420,EUR,4
BAG-CROC-04,Nocturne crocodile clutch,bags,crocodile,black,Nocturne,,5200,EUR,1
`

// importDemoCatalog loads demoCatalog into an empty catalogue, so that a restarted demo
// keeps the stock its sales changed.
func importDemoCatalog(n *node.Node, boutique string) error {
	cat := catalog.New(n.Store().DB(), boutique)
	items, err := cat.All()
	if err != nil || len(items) > 0 {
		return err
	}
	res, err := cat.Import(strings.NewReader(demoCatalog), catalog.CSV)
	if err != nil {
		return fmt.Errorf("import demo catalogue: %w", err)
	}
	if len(res.Rejected) > 0 {
		return fmt.Errorf("demo catalogue line %d: %s", res.Rejected[0].Line,
			res.Rejected[0].Reason)
	}
	return nil
}

// recordDemoHistory gives the demo client a past visit, a purchase, an inquiry, her size
// and a birthday next week, so her arrival card shows what an assistant would see.
func recordDemoHistory(store *profile.Store, id string) error {
	lastMonth := time.Now().UTC().AddDate(0, -1, 0)
	if err := store.SetPreferences(id, profile.Preferences{Sizes: []string{"38"}}); err != nil {
		return err
	}
	birthday := profile.ImportantDate{Label: "Birthday",
		Date: time.Now().AddDate(0, 0, 5).Format("01-02")}
	if err := store.SetDetails(id, profile.Details{Name: demoName, Address: demoAddress,
		Language: "fr", FavoriteAssistant: "Aiko",
		ImportantDates: []profile.ImportantDate{birthday}}); err != nil {
		return err
	}
	if err := store.RecordVisit(id, profile.Visit{At: lastMonth, Store: "Omotenashi Paris",
		Decision: "match", Assistant: "Aiko"}); err != nil {
		return err
	}
	if err := store.RecordPurchase(id, profile.Purchase{At: lastMonth, SKU: "BAG-PEARL-01",
		Item: "Pearl-embroidered evening bag", Price: 2400, Currency: "EUR",
		Store: "Omotenashi Paris", Assistant: "Aiko"}); err != nil {
		return err
	}
	return store.RecordInquiry(id, profile.Inquiry{At: lastMonth, SKU: "SLIP-NUDE-38",
		Item: "Nude leather slippers", Note: "size 38, out of stock then",
		Store: "Omotenashi Paris", Assistant: "Aiko"})
}
