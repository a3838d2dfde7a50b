package replicate

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// defaultRestoreBatchBytes is the size at which RestoreBatch.Flush commits. A restore keeps
// one batch of this size in memory. With Pebble's default 4 MiB memtable, each committed
// batch of this size also stays in memory until Pebble has flushed it to an sstable.
const defaultRestoreBatchBytes = 16 << 20

// RestoreBatch is the Pebble batch a snapshot restore writes into, committed in chunks. A
// restore writes each record into Batch and then calls Flush, which commits the batch without
// sync once it has grown past a size limit and starts a new one. The state is partial until
// the group's state machine commits the last batch, synced, with the snapshot's applied
// index. Pebble's write-ahead log is sequential, so that sync also makes the earlier chunks
// durable.
type RestoreBatch struct {
	batch   *pebble.Batch
	limit   int
	commits int
}

func newRestoreBatch(db *pebble.DB, limit int) *RestoreBatch {
	return &RestoreBatch{batch: db.NewBatch(), limit: limit}
}

// NewRestoreBatch returns a RestoreBatch on db that commits every limit bytes, for running
// an Applier's Restore outside a group, as its tests do. Call Finish after Restore.
func NewRestoreBatch(db *pebble.DB, limit int) *RestoreBatch {
	return newRestoreBatch(db, limit)
}

// Finish commits what Restore left in the batch, synced, and releases the batch.
func (b *RestoreBatch) Finish() error {
	defer b.close()
	return b.commit(pebble.Sync)
}

// Batch returns the batch to write the next record into. Call it again after Flush or
// Commit, because they may start a new batch.
func (b *RestoreBatch) Batch() *pebble.Batch {
	return b.batch
}

// Flush commits the batch without sync when it holds at least the size limit, and starts a
// new one. Otherwise it does nothing.
func (b *RestoreBatch) Flush() error {
	if b.batch.Len() < b.limit {
		return nil
	}

	return b.Commit()
}

// Commit commits the batch without sync whatever its size, and starts a new one. A restore
// calls it when its next reads of the database must see the writes so far.
func (b *RestoreBatch) Commit() error {
	return b.commit(pebble.NoSync)
}

func (b *RestoreBatch) commit(opts *pebble.WriteOptions) error {
	if err := b.batch.Commit(opts); err != nil {
		return fmt.Errorf("commit restore batch %d: %w", b.commits+1, err)
	}
	b.commits++
	b.batch.Reset()

	return nil
}

// close drops the writes that were not committed.
func (b *RestoreBatch) close() {
	_ = b.batch.Close()
}
