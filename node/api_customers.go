package node

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// DefaultConsentText is the version of the consent text recorded when an enrollment names
// none.
const DefaultConsentText = "2026-01"

// handleEnroll creates a client from a multipart form: name, consent and one or more photos,
// plus optional address, language, favorite_assistant and consent_text_version.
func (n *Node) handleEnroll(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, int64(n.cfg.MaxPhotos*n.cfg.Limits.MaxBytes+1<<20))
	f, err := n.readForm(r)
	if err != nil {
		n.fail(w, r, err)
		return
	}

	c, err := customerFromForm(f.fields, actor(r))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	checks, err := n.Enroll(r.Context(), c, f.photos, f.fields["force"] == "true")
	if errors.Is(err, ErrPending) {
		n.record(r, "enroll", c.ID, "queued")
		writeJSON(w, http.StatusAccepted, map[string]any{"id": c.ID, "status": "pending"})
		return
	}
	if err != nil {
		n.fail(w, r, err)
		return
	}

	n.record(r, "enroll", c.ID, strconv.Itoa(len(f.photos))+" photos")
	writeJSON(w, http.StatusCreated, map[string]any{
		"id": c.ID, "name": c.Name, "descriptors": len(c.Descriptors),
		"consent": c.Consent, "photos": checks,
	})
}

// customerFromForm builds a new client from enrollment fields; consent is required.
func customerFromForm(fields map[string]string, takenBy string) (*profile.Customer, error) {
	if fields["name"] == "" {
		return nil, badRequest("field name is required")
	}
	if fields["consent"] == "" {
		return nil, badRequest("field consent is required (store, brand or group): " +
			"no face is enrolled without the client's consent")
	}
	scope, err := profile.ParseScope(fields["consent"])
	if err != nil {
		return nil, err
	}
	if err := profile.ValidateLanguage(fields["language"]); err != nil {
		return nil, err
	}

	textVersion := fields["consent_text_version"]
	if textVersion == "" {
		textVersion = DefaultConsentText
	}
	return &profile.Customer{
		Name:              fields["name"],
		Address:           fields["address"],
		Language:          fields["language"],
		FavoriteAssistant: fields["favorite_assistant"],
		Consent: profile.Consent{
			Scope: scope, GivenAt: time.Now().UTC(), TextVersion: textVersion, TakenBy: takenBy,
		},
	}, nil
}

func (n *Node) handleListCustomers(w http.ResponseWriter, r *http.Request) {
	limit, err := queryLimit(r, 50, 1000)
	if err != nil {
		n.fail(w, r, err)
		return
	}

	list, err := n.store.List(r.URL.Query().Get("q"), limit)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, "search", "", strconv.Itoa(len(list))+" results")
	writeJSON(w, http.StatusOK, map[string]any{"customers": list})
}

// customerView is a client as the API shows her: everything but the descriptors' values,
// which only the export returns.
type customerView struct {
	*profile.Customer
	Descriptors []descriptorView `json:"descriptors"`
}

type descriptorView struct {
	Engine        string    `json:"engine"`
	EngineVersion string    `json:"engine_version"`
	AddedAt       time.Time `json:"added_at"`
	Origin        string    `json:"origin"`
}

func viewOf(c *profile.Customer) customerView {
	v := customerView{Customer: c, Descriptors: make([]descriptorView, 0, len(c.Descriptors))}
	for _, d := range c.Descriptors {
		v.Descriptors = append(v.Descriptors, descriptorView{
			Engine: d.Engine, EngineVersion: d.EngineVersion, AddedAt: d.AddedAt, Origin: d.Origin,
		})
	}
	return v
}

func (n *Node) handleGetCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	c, err := n.store.Get(id)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, "view", id, "")
	writeJSON(w, http.StatusOK, viewOf(c))
}

func (n *Node) handleForget(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := n.Forget(r.Context(), id, actor(r))
	if errors.Is(err, ErrPending) {
		n.record(r, "forget", id, "queued")
		writeJSON(w, http.StatusAccepted, map[string]string{"id": id, "status": "pending"})
		return
	}
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, "forget", id, "")
	writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": "forgotten"})
}

func (n *Node) handleExport(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	data, err := n.store.Export(id)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, "export", id, "")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="customer-`+id+`.json"`)
	w.Write(data)
}

func (n *Node) handleAddPhotos(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, int64(n.cfg.MaxPhotos*n.cfg.Limits.MaxBytes+1<<20))
	f, err := n.readForm(r)
	if err == nil && len(f.photos) == 0 {
		err = badRequest("expected one or more parts named photo")
	}
	if err != nil {
		n.fail(w, r, err)
		return
	}

	checks, err := n.AddPhotos(r.Context(), id, f.photos)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, "add-photos", id, strconv.Itoa(len(checks))+" photos")
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "added": len(checks),
		"photos": checks})
}

func (n *Node) handleRecordVisit(w http.ResponseWriter, r *http.Request) {
	key, done := n.beginRequest(w, r, OpRecordVisit, "record-visit")
	if done {
		return
	}
	var v profile.Visit
	if err := decodeJSON(r.Body, &v); err != nil {
		n.fail(w, r, err)
		return
	}
	if err := checkNotFuture("at", v.At); err != nil {
		n.fail(w, r, err)
		return
	}
	v = fillVisit(v, n.cfg.StoreName, actor(r))
	n.respondUpdate(w, r, "record-visit",
		n.writeOnce(r, r.PathValue("id"), OpRecordVisit, v, key))
}

func fillVisit(v profile.Visit, store, assistant string) profile.Visit {
	if v.At.IsZero() {
		v.At = time.Now().UTC()
	}
	if v.Store == "" {
		v.Store = store
	}
	if v.Decision == "" {
		v.Decision = "manual"
	}
	if v.Assistant == "" {
		v.Assistant = assistant
	}
	return v
}

// handleRecordPurchase records a purchase. A body with only an SKU of the catalogue is
// completed from it: the item's name, its price when none is given and its currency when
// none is given. A purchase of a catalogue item counts as a sale of this boutique.
func (n *Node) handleRecordPurchase(w http.ResponseWriter, r *http.Request) {
	key, done := n.beginRequest(w, r, OpRecordPurchase, "record-purchase")
	if done {
		return
	}
	var req purchaseRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		n.fail(w, r, err)
		return
	}
	it, known := n.catalogItem(req.SKU)
	p, err := req.purchase(it, known, n.cfg.StoreName)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	if err := profile.ValidatePurchase(p); err != nil {
		n.fail(w, r, err)
		return
	}
	if p.At.IsZero() {
		p.At = time.Now().UTC()
	}
	if p.Store == "" {
		p.Store = n.cfg.StoreName
	}
	if p.Assistant == "" {
		p.Assistant = actor(r)
	}

	n.respondUpdate(w, r, "record-purchase",
		n.writeOnce(r, r.PathValue("id"), OpRecordPurchase, p, key))
}

// handleRecordInquiry records an inquiry; an SKU of the catalogue without an item name
// gets the item's name.
func (n *Node) handleRecordInquiry(w http.ResponseWriter, r *http.Request) {
	n.recordInquiry(w, r, false)
}

// handleAddWish records an item she put on her wishlist: an inquiry marked as a wish.
func (n *Node) handleAddWish(w http.ResponseWriter, r *http.Request) {
	n.recordInquiry(w, r, true)
}

// recordInquiry records the inquiry of the request body, marked as a wish when wish is
// set.
func (n *Node) recordInquiry(w http.ResponseWriter, r *http.Request, wish bool) {
	key, done := n.beginRequest(w, r, OpRecordInquiry, "record-inquiry")
	if done {
		return
	}
	var q profile.Inquiry
	if err := decodeJSON(r.Body, &q); err != nil {
		n.fail(w, r, err)
		return
	}
	q.Wish = q.Wish || wish
	if q.Item == "" {
		q.Item = n.itemName(q.SKU)
	}
	if err := checkNotFuture("at", q.At); err != nil {
		n.fail(w, r, err)
		return
	}
	if err := profile.ValidateInquiry(q); err != nil {
		n.fail(w, r, err)
		return
	}
	if q.At.IsZero() {
		q.At = time.Now().UTC()
	}
	if q.Store == "" {
		q.Store = n.cfg.StoreName
	}
	if q.Assistant == "" {
		q.Assistant = actor(r)
	}
	n.respondUpdate(w, r, "record-inquiry",
		n.writeOnce(r, r.PathValue("id"), OpRecordInquiry, q, key))
}

// itemName returns the name of the item sku in this boutique's catalogue, or else in the
// stock of a sister boutique nearby, or "" when neither has it.
func (n *Node) itemName(sku string) string {
	if it, ok := n.catalogItem(sku); ok {
		return it.Name
	}
	for _, o := range n.sisterOffers() {
		if o.Item.SKU == sku {
			return o.Item.Name
		}
	}
	return ""
}

// catalogItem returns the catalogue item of sku, and false when sku is empty, not in the
// catalogue, or the catalogue cannot be read (logged).
func (n *Node) catalogItem(sku string) (catalog.Item, bool) {
	if catalog.ValidateSKU(sku) != nil {
		return catalog.Item{}, false
	}
	it, err := n.catalog().Get(sku)
	if err != nil {
		if !errors.Is(err, catalog.ErrNotFound) {
			n.log.Error("read catalogue item failed", "sku", sku, "error", err)
		}
		return catalog.Item{}, false
	}
	return it, true
}

func (n *Node) handleAddNote(w http.ResponseWriter, r *http.Request) {
	key, done := n.beginRequest(w, r, OpAddNote, "add-note")
	if done {
		return
	}
	note, err := profile.DecodeNote(r.Body)
	if err == nil {
		err = checkNotFuture("at", note.At)
	}
	if err != nil {
		n.fail(w, r, err)
		return
	}
	if note.At.IsZero() {
		note.At = time.Now().UTC()
	}
	if note.Author == "" {
		note.Author = actor(r)
	}
	n.respondUpdate(w, r, "add-note", n.writeOnce(r, r.PathValue("id"), OpAddNote, note, key))
}

func (n *Node) handleSetPreferences(w http.ResponseWriter, r *http.Request) {
	p, err := profile.DecodePreferences(r.Body)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.respondUpdate(w, r, "set-preferences", n.write(r.Context(), r.PathValue("id"),
		OpSetPreferences, p))
}

// handleSetDetails replaces how staff address a client, her name, language, favourite
// assistant and important dates, all at once.
func (n *Node) handleSetDetails(w http.ResponseWriter, r *http.Request) {
	d, err := profile.DecodeDetails(r.Body)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.respondUpdate(w, r, "set-details", n.write(r.Context(), r.PathValue("id"),
		OpSetDetails, d))
}

// respondUpdate writes the response to a change of a client's history: the error, 200
// when the request key shows it was recorded before, 202 when it waits in the outbox, or
// 201 after auditing.
func (n *Node) respondUpdate(w http.ResponseWriter, r *http.Request, action string, err error) {
	id := r.PathValue("id")
	if errors.Is(err, errReplayed) {
		n.record(r, action, id, "replayed request, not recorded again")
		writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": "already recorded"})
		return
	}
	if errors.Is(err, ErrPending) {
		n.record(r, action, id, "queued")
		writeJSON(w, http.StatusAccepted, map[string]string{"id": id, "status": "pending"})
		return
	}
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, action, id, "")
	writeJSON(w, http.StatusCreated, map[string]string{"id": id, "status": "recorded"})
}

// handleChangeConsent moves a client to another consent scope: {"scope": "store"}, with
// an optional "text_version" of the consent text she agreed to.
func (n *Node) handleChangeConsent(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Scope       string `json:"scope"`
		TextVersion string `json:"text_version"`
	}
	if err := decodeJSON(r.Body, &body); err != nil {
		n.fail(w, r, err)
		return
	}
	scope, err := profile.ParseScope(body.Scope)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	if body.TextVersion == "" {
		body.TextVersion = DefaultConsentText
	}
	id := r.PathValue("id")
	err = n.ChangeConsent(r.Context(), id, scope, body.TextVersion, actor(r))
	n.respondUpdate(w, r, "change-consent", err)
}

// handlePending lists the writes waiting in the outbox and the latest queued writes that
// their group rejected after the node responded 202.
func (n *Node) handlePending(w http.ResponseWriter, r *http.Request) {
	pending, err := n.Pending()
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"pending": pending,
		"rejected": n.rejected.all()})
}
