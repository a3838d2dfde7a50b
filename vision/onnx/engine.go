package onnx

import (
	"context"
	"fmt"

	"github.com/omotenashi/omotenashi/vision"
)

// Name and Version identify this engine's descriptors; Dim is their length.
const (
	Name    = "arcface-onnx"
	Version = "faceplugin-0.0.1"
	Dim     = 512
)

// Engine computes 512-value face embeddings, finds faces and scores liveness with ONNX
// Runtime. It is safe for concurrent use: each call takes a worker from a pool of
// Config.PoolSize, and waits for one when all are busy.
type Engine struct {
	cfg  Config
	pool chan *worker
}

// Engine implements vision.Engine.
var _ vision.Engine = (*Engine)(nil)

// Open loads ONNX Runtime (once per process) and cfg.PoolSize workers, each with a session
// of every model. It returns an error wrapping ErrModelsMissing when a file is absent.
func Open(cfg Config) (*Engine, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if err := initRuntime(cfg.LibraryPath); err != nil {
		return nil, err
	}

	e := &Engine{cfg: cfg, pool: make(chan *worker, cfg.PoolSize)}
	for range cfg.PoolSize {
		w, err := newWorker(cfg.ModelDir, cfg.Threads)
		if err != nil {
			e.Close()
			return nil, err
		}
		e.pool <- w
	}
	return e, nil
}

// Name returns Name.
func (e *Engine) Name() string { return Name }

// Version returns Version.
func (e *Engine) Version() string { return Version }

// Dim returns Dim.
func (e *Engine) Dim() int { return Dim }

// Close frees every worker of the pool. No call may be running or start after it. The ONNX
// Runtime environment stays loaded for the rest of the process.
func (e *Engine) Close() error {
	for {
		select {
		case w := <-e.pool:
			w.destroy()
		default:
			return nil
		}
	}
}

// acquire takes a worker from the pool, or fails when ctx ends first.
func (e *Engine) acquire(ctx context.Context) (*worker, error) {
	select {
	case w := <-e.pool:
		return w, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for an onnx worker: %w", ctx.Err())
	}
}

// release returns w to the pool.
func (e *Engine) release(w *worker) { e.pool <- w }
