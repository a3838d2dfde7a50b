package testnet

import (
	"fmt"
	"image"
	"os"
	"sync"
	"time"

	"github.com/omotenashi/omotenashi/vision"
)

// enrollMany enrolls Count clients with the faces of Photos in turn (force=true, since
// faces repeat), round-robin over the From nodes (default: Node), four at a time. Every
// Every-th enrollment (default 10) is tracked until each node of her scope holds her.
func (r *runner) enrollMany(st Step) error {
	if err := r.loadFacePool(st.Photos); err != nil {
		return err
	}
	names := st.From
	if len(names) == 0 {
		names = []string{st.Node}
	}
	homes, err := r.writers(names, nil)
	if err != nil {
		return err
	}
	every := st.Every
	if every == 0 {
		every = 10
	}

	jobs := make(chan int)
	errs := make(chan error, st.Count)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				errs <- r.enrollGenerated(i, homes[i%len(homes)], st.Scope, i%every == 0)
			}
		}()
	}
	started := time.Now()
	for i := range st.Count {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)

	failed := 0
	var first error
	for err := range errs {
		if err != nil {
			failed++
			first = err
		}
	}
	r.report.EnrollRate = float64(st.Count-failed) / time.Since(started).Seconds()
	r.logf("enrolled %d of %d clients, %.1f per second", st.Count-failed, st.Count,
		r.report.EnrollRate)
	if failed > 0 {
		return fmt.Errorf("%d of %d enrollments failed, the last: %w", failed, st.Count, first)
	}
	return nil
}

func (r *runner) enrollGenerated(i int, home *nodeProcess, scope string, track bool) error {
	c := &client{key: fmt.Sprintf("generated-%04d", i), name: fmt.Sprintf("Client %04d", i),
		scope: scope, home: home, photo: r.faces[i%len(r.faces)],
		purchases: map[string]int{}, lastAppear: map[string]time.Time{}}
	c.appears = c.photo
	c.enrolledAt = time.Now()
	id, err := home.enroll(c.name, scope, c.photo, true)
	if err != nil {
		return err
	}
	c.id = id
	r.mu.Lock()
	r.clients[c.key] = c
	r.mu.Unlock()
	if track {
		r.trackRecognizable(c, false)
	}
	return nil
}

// loadFacePool crops every face of the photos once.
func (r *runner) loadFacePool(photos []string) error {
	if len(r.faces) > 0 {
		return nil
	}
	if len(photos) == 0 {
		photos = []string{"sample2.jpg"}
	}
	for _, name := range photos {
		data, err := os.ReadFile(r.photoPath(name))
		if err != nil {
			return fmt.Errorf("read photo: %w", err)
		}
		boxes, err := r.faceBoxes(data)
		if err != nil {
			return fmt.Errorf("faces of %s: %w", name, err)
		}
		for _, b := range boxes {
			if b.Dx() < 80 {
				continue // too small to enroll
			}
			crop, err := vision.CropJPEG(data, vision.DefaultLimits(), b.Intersect(
				image.Rect(0, 0, 1<<20, 1<<20)), 400)
			if err == nil {
				r.faces = append(r.faces, crop)
			}
		}
	}
	if len(r.faces) == 0 {
		return fmt.Errorf("no face of at least 80 pixels in %v", photos)
	}
	r.logf("enrolling with %d faces", len(r.faces))
	return nil
}
