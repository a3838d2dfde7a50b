package replicate

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

// purgeRetry is the delay before a failed purge is tried again.
const purgeRetry = 5 * time.Second

// runPurge purges the log after each forget and each snapshot install, until ctx ends. A forget
// applied before a crash but not yet purged is purged right after Open.
func (g *Group) runPurge(ctx context.Context) {
	if g.purgeOwed() {
		g.fsm.signalPurge()
	}

	for {
		select {
		case <-ctx.Done():
			return
		case <-g.fsm.purge:
		}

		if err := g.purge(ctx); err != nil && ctx.Err() == nil {
			g.logger.Warn("purge after forget failed, will retry", "error", err,
				"retry_in", purgeRetry)
			time.AfterFunc(purgeRetry, g.fsm.signalPurge)
		}
	}
}

// purgeOwed reports whether a forget was applied after the last completed purge.
func (g *Group) purgeOwed() bool {
	forgot, err := readIndex(g.cfg.DB, forgotKey(g.cfg.Name))
	if err != nil {
		g.logger.Warn("cannot read forget index, purging to be safe", "error", err)
		return true
	}

	purged, err := readIndex(g.cfg.DB, purgedKey(g.cfg.Name))
	if err != nil {
		g.logger.Warn("cannot read purge index, purging to be safe", "error", err)
		return true
	}

	return forgot > purged
}

// purge removes every log entry up to a fresh snapshot, so commands of a forgotten client leave
// the log. It takes a snapshot of the state, which no longer contains her, and deletes the log
// up to the snapshot's index. Then it compacts the whole database, so the deleted values leave
// the Pebble files. The snapshot store keeps one snapshot, so this one replaces older files.
func (g *Group) purge(ctx context.Context) error {
	start := time.Now()

	index, err := g.snapshotNow()
	if err != nil {
		return err
	}

	if err := g.truncateLog(index); err != nil {
		return err
	}

	if err := compactAll(ctx, g.cfg.DB); err != nil {
		return err
	}

	if err := g.cfg.DB.Set(purgedKey(g.cfg.Name), binary.BigEndian.AppendUint64(nil, index),
		pebble.Sync); err != nil {
		return fmt.Errorf("record purge at %d: %w", index, err)
	}

	g.logger.Info("log purged", "snapshot_index", index, "took", time.Since(start))

	return nil
}

// snapshotNow takes a user snapshot and returns its index. When nothing was applied since the
// latest snapshot, raft takes none and the latest one is used.
func (g *Group) snapshotNow() (uint64, error) {
	err := g.raft.Snapshot().Error()
	if err != nil && !errors.Is(err, raft.ErrNothingNewToSnapshot) {
		return 0, fmt.Errorf("take snapshot: %w", err)
	}

	metas, err := g.snaps.List()
	if err != nil {
		return 0, fmt.Errorf("list snapshots: %w", err)
	}
	if len(metas) == 0 {
		return 0, errors.New("take snapshot: no snapshot stored")
	}

	return metas[0].Index, nil
}

// truncateLog deletes the log entries up to index. Raft keeps TrailingLogs entries after its
// own snapshots for slow followers; a follower that needs a deleted entry gets a snapshot.
func (g *Group) truncateLog(index uint64) error {
	first, err := g.store.FirstIndex()
	if err != nil {
		return err
	}
	if first == 0 || first > index {
		return nil
	}

	return g.store.DeleteRange(first, index)
}

// compactAll flushes the memtable and compacts the key range of every table in the database.
// The Applier's keys are unknown to this package, so the whole range is compacted, which also
// rewrites the tables that held the client's deleted profile values.
func compactAll(ctx context.Context, db *pebble.DB) error {
	if err := db.Flush(); err != nil {
		return fmt.Errorf("flush database: %w", err)
	}

	levels, err := db.SSTables()
	if err != nil {
		return fmt.Errorf("list database tables: %w", err)
	}

	var first, last []byte
	for _, tables := range levels {
		for _, table := range tables {
			if first == nil || bytes.Compare(table.Smallest.UserKey, first) < 0 {
				first = table.Smallest.UserKey
			}
			if last == nil || bytes.Compare(table.Largest.UserKey, last) > 0 {
				last = table.Largest.UserKey
			}
		}
	}
	if first == nil {
		return nil
	}

	end := append(append([]byte(nil), last...), 0)
	if err := db.Compact(ctx, first, end, true); err != nil {
		return fmt.Errorf("compact database: %w", err)
	}

	return nil
}
