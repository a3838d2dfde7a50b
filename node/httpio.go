package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/omotenashi/omotenashi/node/auth"
	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/vision"
)

// maxFieldBytes bounds a text field of a multipart form.
const maxFieldBytes = 4 << 10

// maxJSONBytes bounds a JSON request body.
const maxJSONBytes = 64 << 10

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response failed", "error", err)
	}
}

// writeError writes {"error": msg} with status.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// statusOf maps an error to the HTTP status it deserves; unknown errors are 500.
func statusOf(err error) int {
	var maxBytes *http.MaxBytesError
	switch {
	case errors.As(err, &maxBytes), errors.Is(err, vision.ErrImageTooLarge),
		errors.Is(err, errBodyTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errBodyTimeout):
		return http.StatusRequestTimeout
	case errors.Is(err, vision.ErrUnsupportedImage):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, vision.ErrEmptyImage), errors.Is(err, vision.ErrCorruptImage),
		errors.Is(err, profile.ErrInvalid), errors.Is(err, profile.ErrNoConsent),
		errors.Is(err, ErrTooManyPhotos), errors.Is(err, errBadRequest):
		return http.StatusBadRequest
	case errors.Is(err, ErrNoFace), errors.Is(err, ErrManyFaces), errors.Is(err, ErrLowQuality):
		return http.StatusUnprocessableEntity
	case errors.Is(err, profile.ErrNotFound), errors.Is(err, ErrArrivalNotFound),
		errors.Is(err, auth.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, profile.ErrForgotten):
		return http.StatusGone
	case errors.Is(err, ErrArrivalDecided), errors.Is(err, ErrNotConfirmable),
		errors.Is(err, auth.ErrLastManager), errors.Is(err, ErrAlreadyEnrolled),
		errors.Is(err, profile.ErrExists):
		return http.StatusConflict
	case errors.Is(err, ErrNotCandidate):
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// fail writes err with its status. A server error is logged, and its detail is kept from
// the client.
func (n *Node) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		n.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		writeError(w, status, "internal error; the node's log has the cause")
		return
	}
	writeError(w, status, err.Error())
}

// errBadRequest marks a malformed request: a bad form, a missing field, wrong JSON.
var errBadRequest = errors.New("bad request")

func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadRequest, fmt.Sprintf(format, args...))
}

// errBodyTooLarge marks a request body over its size limit.
var errBodyTooLarge = errors.New("request body too large")

// errBodyTimeout marks a request body that did not arrive before the read deadline that
// limitBodyRead sets.
var errBodyTimeout = errors.New("request body timed out")

// bodyReadError wraps a failed read of part of the request body, such as "JSON body". A
// passed read deadline becomes errBodyTimeout, and any other failure a bad request.
func bodyReadError(part string, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("%w: %s not fully received in time; retry over a faster link "+
			"or with fewer or smaller photos", errBodyTimeout, part)
	}
	return badRequest("read %s: %v", part, err)
}

// form is a parsed multipart request: its text fields and its photos.
type form struct {
	fields map[string]string
	photos []Photo
}

// readForm streams a multipart body, keeping text fields up to maxFieldBytes and files
// named "photo" up to the image byte limit. Anything over a limit is an error, not a cut.
func (n *Node) readForm(r *http.Request) (form, error) {
	f := form{fields: map[string]string{}}
	mr, err := r.MultipartReader()
	if err != nil {
		return f, badRequest("expected a multipart/form-data body: %v", err)
	}

	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return f, nil
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return f, bodyReadError("multipart body", err)
		}
		if err != nil {
			return f, badRequest("malformed multipart body: %v", err)
		}
		if err := n.readPart(&f, part.FormName(), part.FileName(), part); err != nil {
			return f, err
		}
	}
}

func (n *Node) readPart(f *form, name, filename string, r io.Reader) error {
	if name == "photo" {
		data, err := readLimited(r, n.cfg.Limits.MaxBytes)
		if err != nil {
			return fmt.Errorf("photo %d (%s): %w", len(f.photos)+1, filename, err)
		}
		if len(f.photos) >= n.cfg.MaxPhotos {
			return fmt.Errorf("%w: at most %d", ErrTooManyPhotos, n.cfg.MaxPhotos)
		}
		f.photos = append(f.photos, Photo{Name: filename, Data: data})
		return nil
	}

	value, err := io.ReadAll(io.LimitReader(r, maxFieldBytes+1))
	if err != nil {
		return bodyReadError(fmt.Sprintf("field %q", name), err)
	}
	if len(value) > maxFieldBytes {
		return badRequest("field %q is over %d bytes", name, maxFieldBytes)
	}
	if _, dup := f.fields[name]; dup {
		return badRequest("field %q given twice", name)
	}
	f.fields[name] = strings.TrimSpace(string(value))
	return nil
}

// readLimited reads all of r, or fails with ErrImageTooLarge past limit bytes.
func readLimited(r io.Reader, limit int) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, bodyReadError("body", err)
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", vision.ErrImageTooLarge, limit)
	}
	return data, nil
}

// readImage returns the image of an identify request: the body itself, or the first
// "photo" part of a multipart body.
func (n *Node) readImage(r *http.Request) ([]byte, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		return readLimited(r.Body, n.cfg.Limits.MaxBytes)
	}

	f, err := n.readForm(r)
	if err != nil {
		return nil, err
	}
	if len(f.photos) != 1 {
		return nil, badRequest("expected one part named photo, got %d", len(f.photos))
	}
	return f.photos[0].Data, nil
}

// decodeJSON reads a JSON body of at most maxJSONBytes into v, rejecting unknown fields and
// trailing data. A larger body fails with errBodyTooLarge.
func decodeJSON(r io.Reader, v any) error {
	body := http.MaxBytesReader(nil, io.NopCloser(r), maxJSONBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)

	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		return fmt.Errorf("%w: a JSON body may be at most %d KiB", errBodyTooLarge,
			maxJSONBytes>>10)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return bodyReadError("JSON body", err)
	}
	if err != nil {
		return badRequest("malformed JSON: %v", err)
	}
	if dec.More() {
		return badRequest("malformed JSON: data after the object")
	}
	return nil
}

// queryLimit reads the ?limit= parameter: def when absent, an error unless 1 to max.
func queryLimit(r *http.Request, def, max int) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 || v > max {
		return 0, badRequest("limit %q: want a number from 1 to %d", s, max)
	}
	return v, nil
}
