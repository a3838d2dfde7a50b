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
	// Quality is the trust in the face's descriptor, from 0 to 1. Under 0.3 the face is
	// too small or blurred, and is never a match.
	Quality float64 `json:"quality"`
	// Liveness is the ONNX engine's liveness score, from 0 (a photo of a photo) to 1. It is
	// shown, never used to decide: it scores some genuine portraits low.
	Liveness *float64 `json:"liveness,omitempty"`
}

// recognition is the decision about one face, with the clients' names looked up.
type recognition struct {
	decision   decide.Decision
	customer   *profile.Customer // the matched client, on a match
	candidates []Candidate
}

// recognize searches the recognition engine's gallery for a face and decides who it is.
// A match on a descriptor of low quality becomes ambiguous, so staff are asked.
func (n *Node) recognize(r faceReading) (recognition, error) {
	vector, ok := r.vectors[n.cfg.Engine]
	if !ok {
		return recognition{}, fmt.Errorf("no %s descriptor computed", n.cfg.Engine)
	}
	found, err := n.engines.gallery().Search(vector, searchDepth)
	if err != nil {
		return recognition{}, fmt.Errorf("search gallery: %w", err)
	}
	d := decide.Decide(found, n.cfg.Thresholds)
	if d.Outcome == decide.OutcomeMatch && r.quality < minQuality {
		d.Outcome = decide.OutcomeAmbiguous
	}

	rec := recognition{decision: d, candidates: []Candidate{}}
	for _, c := range d.Candidates {
		cust, err := n.store.Get(c.ID)
		if err != nil {
			// Forgotten between the search and now: she is no candidate any more.
			continue
		}
		rec.candidates = append(rec.candidates, candidateOf(cust, c.Distance))
		if d.Outcome == decide.OutcomeMatch && d.Best != nil && c.ID == d.Best.ID {
			rec.customer = cust
		}
	}
	if rec.decision.Outcome == decide.OutcomeMatch && rec.customer == nil {
		rec.decision.Outcome = decide.OutcomeUnknown
	}
	n.metrics.decisions.WithLabelValues(string(rec.decision.Outcome)).Inc()
	return rec, nil
}

// Identify finds every face of an encoded photo and decides who each one is. It records
// nothing: no visit and no alert.
func (n *Node) Identify(ctx context.Context, data []byte) ([]Identified, error) {
	release, err := n.acquireImageSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()

	started := time.Now()
	photo, err := n.rec.FacesInPhoto(ctx, data, n.cfg.Limits, vision.Thorough)
	if err != nil {
		return nil, err
	}
	n.metrics.faces.Add(float64(len(photo.Faces)))
	readings, err := n.engines.read(ctx, data, n.cfg.Limits, photo.Faces)
	if err != nil {
		return nil, err
	}

	out := make([]Identified, 0, len(readings))
	for _, reading := range readings {
		r, err := n.recognize(reading)
		if err != nil {
			return nil, err
		}
		id := Identified{
			Box:        boxArray(reading.face.Box),
			Decision:   string(r.decision.Outcome),
			Candidates: r.candidates,
			Quality:    reading.quality,
			Liveness:   reading.liveness,
		}
		if r.customer != nil {
			best := candidateOf(r.customer, r.decision.Best.Distance)
			id.Customer = &best
		}
		out = append(out, id)
	}
	n.metrics.identifySeconds.Observe(time.Since(started).Seconds())
	return out, nil
}

func boxArray(r image.Rectangle) [4]int {
	return [4]int{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y}
}

// Errors of enrollment that the API turns into 4xx responses.
var (
	// ErrNoFace reports an enrollment photo with no face found.
	ErrNoFace = errors.New("no face found")
	// ErrManyFaces reports an enrollment photo with more than one face.
	ErrManyFaces = errors.New("more than one face found")
	// ErrLowQuality reports an enrollment face too small or blurred for a trustworthy
	// descriptor.
	ErrLowQuality = errors.New("face too small or blurred")
	// ErrTooManyPhotos reports an enrollment with more photos than Config.MaxPhotos.
	ErrTooManyPhotos = errors.New("too many photos")
	// ErrAlreadyEnrolled reports an enrollment photo whose face the node already matches
	// to a client: enrolling her twice would make her two candidates of herself.
	ErrAlreadyEnrolled = errors.New("face already enrolled")
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

// PhotoCheck is the quality and liveness of one enrollment photo, returned to staff.
type PhotoCheck struct {
	Name     string   `json:"name"`
	Quality  float64  `json:"quality"`
	Liveness *float64 `json:"liveness,omitempty"`
}

// readEnrollment computes every engine's descriptor of each photo, rejecting any photo
// that does not show exactly one face of usable quality.
func (n *Node) readEnrollment(ctx context.Context, photos []Photo, origin string) (
	[]profile.Descriptor, []PhotoCheck, error) {

	if len(photos) > n.cfg.MaxPhotos {
		return nil, nil, fmt.Errorf("%w: %d, at most %d", ErrTooManyPhotos, len(photos),
			n.cfg.MaxPhotos)
	}

	var descriptors []profile.Descriptor
	checks := make([]PhotoCheck, 0, len(photos))
	for i, p := range photos {
		reading, err := n.readOneFace(ctx, p.Data)
		if err != nil {
			return nil, nil, &PhotoError{Index: i, Name: p.Name, Err: err}
		}
		descriptors = append(descriptors, reading.descriptors(origin, time.Now().UTC())...)
		checks = append(checks, PhotoCheck{Name: p.Name, Quality: reading.quality,
			Liveness: reading.liveness})
	}
	return descriptors, checks, nil
}

// readOneFace returns the reading of the one face of an enrollment photo.
func (n *Node) readOneFace(ctx context.Context, data []byte) (faceReading, error) {
	release, err := n.acquireImageSlot(ctx)
	if err != nil {
		return faceReading{}, err
	}
	defer release()

	found, err := n.rec.FacesInPhoto(ctx, data, n.cfg.Limits, vision.Thorough)
	if err != nil {
		return faceReading{}, err
	}
	switch len(found.Faces) {
	case 0:
		return faceReading{}, ErrNoFace
	case 1:
	default:
		return faceReading{}, fmt.Errorf("%w: %d faces; enrollment needs a photo of her alone",
			ErrManyFaces, len(found.Faces))
	}

	readings, err := n.engines.read(ctx, data, n.cfg.Limits, found.Faces)
	if err != nil {
		return faceReading{}, err
	}
	if readings[0].quality < minQuality {
		return faceReading{}, fmt.Errorf("%w: quality %.2f, at least %.2f needed; "+
			"take a sharper photo with her face larger", ErrLowQuality, readings[0].quality,
			minQuality)
	}
	return readings[0], nil
}

// Enroll computes the descriptors of each photo and stores the new client with them. The
// client must carry consent: without it nothing biometric is computed into the store. A
// photo whose face already matches an enrolled client is rejected with ErrAlreadyEnrolled,
// unless force is set.
func (n *Node) Enroll(ctx context.Context, c *profile.Customer, photos []Photo, force bool) (
	[]PhotoCheck, error) {

	if !c.Consent.Given() {
		return nil, fmt.Errorf("%w: enrollment takes photos only with consent",
			profile.ErrNoConsent)
	}
	if len(photos) == 0 {
		return nil, fmt.Errorf("%w: at least one photo is needed", profile.ErrInvalid)
	}

	descriptors, checks, err := n.readEnrollment(ctx, photos, profile.OriginEnrollment)
	if err != nil {
		return nil, err
	}
	if !force {
		if err := n.checkNotEnrolled(descriptors); err != nil {
			return nil, err
		}
	}
	c.Descriptors = descriptors
	if c.ID == "" {
		c.ID = profile.NewID()
	}

	if g := n.groupOf(c.Consent.Scope); g != nil {
		return checks, n.enrollReplicated(ctx, g, c)
	}

	c.Origin = n.cfg.Name
	n.galleryMu.Lock()
	defer n.galleryMu.Unlock()
	if err := n.store.Create(c); err != nil {
		return nil, err
	}
	if err := n.engines.add(c.ID, c.Descriptors); err != nil {
		return nil, err
	}
	n.metrics.galleryDescriptors.Set(float64(n.engines.gallery().Len()))
	n.log.Info("enrolled client", "customer", c.ID, "scope", c.Consent.Scope,
		"photos", len(photos))
	return checks, nil
}

// AddPhotos adds the descriptors of each photo to an enrolled client.
func (n *Node) AddPhotos(ctx context.Context, id string, photos []Photo) ([]PhotoCheck, error) {
	descriptors, checks, err := n.readEnrollment(ctx, photos, profile.OriginEnrollment)
	if err != nil {
		return nil, err
	}
	return checks, n.addDescriptors(ctx, id, descriptors)
}

// addDescriptors stores descriptors for a client and adds them to the galleries, together.
// A replicated client's descriptors go through her group, whose state machine fills the
// galleries of every node.
func (n *Node) addDescriptors(ctx context.Context, id string,
	descriptors []profile.Descriptor) error {

	c, err := n.store.Get(id)
	if err != nil {
		return err
	}
	if g := n.groupOf(c.Consent.Scope); g != nil {
		for _, d := range descriptors {
			if err := n.submit(ctx, g, OpAddDescriptor, id, d); err != nil {
				return err
			}
		}
		return nil
	}

	n.galleryMu.Lock()
	defer n.galleryMu.Unlock()
	for _, d := range descriptors {
		if err := n.store.AddDescriptor(id, d); err != nil {
			return err
		}
		if err := n.engines.add(id, []profile.Descriptor{d}); err != nil {
			return err
		}
	}
	n.metrics.galleryDescriptors.Set(float64(n.engines.gallery().Len()))
	return nil
}

// Forget erases a client: her record and descriptors leave the store and the galleries, a
// tombstone stays, and the arrivals in memory drop her.
func (n *Node) Forget(ctx context.Context, id, by string) error {
	c, err := n.store.Get(id)
	if err != nil {
		return err
	}
	if g := n.groupOf(c.Consent.Scope); g != nil {
		return n.submit(ctx, g, OpForget, id, forgetPayload{By: by})
	}

	n.galleryMu.Lock()
	defer n.galleryMu.Unlock()
	if err := n.store.Forget(id, by); err != nil {
		return err
	}
	removed := n.engines.remove(id)
	n.arrivals.forgetCustomer(id)
	n.metrics.galleryDescriptors.Set(float64(n.engines.gallery().Len()))
	n.log.Info("forgot client", "customer", id, "descriptors", removed)
	return nil
}

// checkNotEnrolled returns ErrAlreadyEnrolled, naming the client, when a descriptor of the
// recognition engine matches an enrolled client.
func (n *Node) checkNotEnrolled(descriptors []profile.Descriptor) error {
	for _, d := range descriptors {
		if d.Engine != n.cfg.Engine {
			continue
		}
		found, err := n.engines.gallery().Search(d.Vector, searchDepth)
		if err != nil {
			return err
		}
		decision := decide.Decide(found, n.cfg.Thresholds)
		if decision.Outcome == decide.OutcomeMatch {
			return fmt.Errorf("%w as client %s: add photos to her profile instead, or "+
				"send force=true if this is someone else", ErrAlreadyEnrolled, decision.Best.ID)
		}
	}
	return nil
}

// acquireImageSlot waits for one of the node's image slots. Decoding a photo of the
// largest size the limits admit takes about 200 MiB, so the number of photos analyzed at
// once is bounded by the slots, one per recognizer, and memory with it.
func (n *Node) acquireImageSlot(ctx context.Context) (func(), error) {
	select {
	case n.imageSlots <- struct{}{}:
		return func() { <-n.imageSlots }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait to analyze the photo: %w", ctx.Err())
	}
}
