package node

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/decide"
)

// searchDepth is how many clients a search returns: the decision looks at the best and the
// runner-up, and the staff page shows at most three candidates.
const searchDepth = 5

// Identified is the decision about one face of a photo.
type Identified struct {
	Box        [4]int      `json:"box"`
	Decision   string      `json:"decision"`
	Customer   *Candidate  `json:"customer,omitempty"`
	Candidates []Candidate `json:"candidates"`
}

// recognition is the decision about one descriptor, with the clients' names looked up.
type recognition struct {
	decision   decide.Decision
	customer   *profile.Customer // the matched client, on a match
	candidates []Candidate
}

// recognize searches the gallery for vector and decides who it is.
func (n *Node) recognize(vector []float32) (recognition, error) {
	found, err := n.gallery.Search(vector, searchDepth)
	if err != nil {
		return recognition{}, fmt.Errorf("search gallery: %w", err)
	}
	d := decide.Decide(found, n.cfg.Thresholds)
	n.metrics.decisions.WithLabelValues(string(d.Outcome)).Inc()

	r := recognition{decision: d, candidates: []Candidate{}}
	for _, c := range d.Candidates {
		cust, err := n.store.Get(c.ID)
		if err != nil {
			// Forgotten between the search and now: she is no candidate any more.
			continue
		}
		r.candidates = append(r.candidates, Candidate{
			ID: c.ID, Name: cust.Name, Address: cust.Address, Distance: c.Distance,
		})
		if d.Outcome == decide.OutcomeMatch && d.Best != nil && c.ID == d.Best.ID {
			r.customer = cust
		}
	}
	if d.Outcome == decide.OutcomeMatch && r.customer == nil {
		r.decision.Outcome = decide.OutcomeUnknown
	}
	return r, nil
}

// Identify finds every face of an encoded photo and decides who each one is. It records
// nothing: no visit and no alert.
func (n *Node) Identify(ctx context.Context, data []byte) ([]Identified, error) {
	started := time.Now()
	photo, err := n.rec.FacesInPhoto(ctx, data, n.cfg.Limits, vision.Thorough)
	if err != nil {
		return nil, err
	}
	n.metrics.faces.Add(float64(len(photo.Faces)))

	out := make([]Identified, 0, len(photo.Faces))
	for _, f := range photo.Faces {
		r, err := n.recognize(f.Descriptor)
		if err != nil {
			return nil, err
		}
		id := Identified{
			Box:        boxArray(f.Box),
			Decision:   string(r.decision.Outcome),
			Candidates: r.candidates,
		}
		if r.customer != nil {
			id.Customer = &Candidate{ID: r.customer.ID, Name: r.customer.Name,
				Address: r.customer.Address, Distance: r.decision.Best.Distance}
		}
		out = append(out, id)
	}
	n.metrics.identifySeconds.Observe(time.Since(started).Seconds())
	return out, nil
}

func boxArray(r image.Rectangle) [4]int {
	return [4]int{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y}
}

// Errors of enrollment that the API turns into 4xx answers.
var (
	// ErrNoFace reports an enrollment photo with no face found.
	ErrNoFace = errors.New("no face found")
	// ErrManyFaces reports an enrollment photo with more than one face.
	ErrManyFaces = errors.New("more than one face found")
	// ErrTooManyPhotos reports an enrollment with more photos than Config.MaxPhotos.
	ErrTooManyPhotos = errors.New("too many photos")
)

// PhotoError is an enrollment photo that was rejected, with its position and file name.
type PhotoError struct {
	Index int
	Name  string
	Err   error
}

func (e *PhotoError) Error() string {
	return fmt.Sprintf("photo %d (%s): %v", e.Index+1, e.Name, e.Err)
}

func (e *PhotoError) Unwrap() error { return e.Err }

// Photo is one enrollment photo as it was uploaded.
type Photo struct {
	Name string
	Data []byte
}

// descriptorsOf returns one descriptor per photo, rejecting any photo that does not show
// exactly one face.
func (n *Node) descriptorsOf(ctx context.Context, photos []Photo, origin string) (
	[]profile.Descriptor, error) {

	if len(photos) > n.cfg.MaxPhotos {
		return nil, fmt.Errorf("%w: %d, at most %d", ErrTooManyPhotos, len(photos), n.cfg.MaxPhotos)
	}

	out := make([]profile.Descriptor, 0, len(photos))
	for i, p := range photos {
		found, err := n.rec.FacesInPhoto(ctx, p.Data, n.cfg.Limits, vision.Thorough)
		if err != nil {
			return nil, &PhotoError{Index: i, Name: p.Name, Err: err}
		}
		switch len(found.Faces) {
		case 0:
			return nil, &PhotoError{Index: i, Name: p.Name, Err: ErrNoFace}
		case 1:
		default:
			return nil, &PhotoError{Index: i, Name: p.Name,
				Err: fmt.Errorf("%w: %d faces; enrollment needs a photo of her alone",
					ErrManyFaces, len(found.Faces))}
		}
		out = append(out, profile.Descriptor{
			Engine:        vision.DlibEngine,
			EngineVersion: vision.DlibEngineVersion,
			Vector:        found.Faces[0].Descriptor,
			AddedAt:       time.Now().UTC(),
			Origin:        origin,
		})
	}
	return out, nil
}

// Enroll computes a descriptor from each photo and stores the new client with them. The
// client must carry consent: without it nothing biometric is computed into the store.
func (n *Node) Enroll(ctx context.Context, c *profile.Customer, photos []Photo) error {
	if !c.Consent.Given() {
		return fmt.Errorf("%w: enrollment takes photos only with consent", profile.ErrNoConsent)
	}
	if len(photos) == 0 {
		return fmt.Errorf("%w: at least one photo is needed", profile.ErrInvalid)
	}

	descriptors, err := n.descriptorsOf(ctx, photos, profile.OriginEnrollment)
	if err != nil {
		return err
	}
	c.Descriptors = descriptors
	if c.ID == "" {
		c.ID = profile.NewID()
	}

	n.galleryMu.Lock()
	defer n.galleryMu.Unlock()
	if err := n.store.Create(c); err != nil {
		return err
	}
	if err := n.addToGallery(c.ID, c.Descriptors); err != nil {
		return err
	}
	n.metrics.galleryDescriptors.Set(float64(n.gallery.Len()))
	n.log.Info("enrolled client", "customer", c.ID, "scope", c.Consent.Scope,
		"descriptors", len(descriptors))
	return nil
}

// AddPhotos adds a descriptor from each photo to an enrolled client.
func (n *Node) AddPhotos(ctx context.Context, id string, photos []Photo) (int, error) {
	descriptors, err := n.descriptorsOf(ctx, photos, profile.OriginEnrollment)
	if err != nil {
		return 0, err
	}
	return len(descriptors), n.addDescriptors(id, descriptors)
}

// addDescriptors stores descriptors for a client and adds them to the gallery, together.
func (n *Node) addDescriptors(id string, descriptors []profile.Descriptor) error {
	n.galleryMu.Lock()
	defer n.galleryMu.Unlock()
	for _, d := range descriptors {
		if err := n.store.AddDescriptor(id, d); err != nil {
			return err
		}
		if err := n.addToGallery(id, []profile.Descriptor{d}); err != nil {
			return err
		}
	}
	n.metrics.galleryDescriptors.Set(float64(n.gallery.Len()))
	return nil
}

// Forget erases a client: her record and descriptors leave the store and the gallery, a
// tombstone stays, and the arrivals in memory drop her.
func (n *Node) Forget(id, by string) error {
	n.galleryMu.Lock()
	defer n.galleryMu.Unlock()
	if err := n.store.Forget(id, by); err != nil {
		return err
	}
	removed := n.gallery.Remove(id)
	n.arrivals.forgetCustomer(id)
	n.metrics.galleryDescriptors.Set(float64(n.gallery.Len()))
	n.log.Info("forgot client", "customer", id, "descriptors", removed)
	return nil
}
