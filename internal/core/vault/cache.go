package vault

import (
	"container/list"
	"crypto/cipher"
	"sync"
)

// cache keeps the most recently used unwrapped data keys, at most max of
// them, so that a page with many sealed fields unwraps a key once. It only
// saves the unwrapping: whether a cached key is still live is read from
// the store on every use (see Vault.dataKey).
type cache struct {
	mu    sync.Mutex
	max   int
	order *list.List               // front: most recently used; values are *cacheEntry
	items map[string]*list.Element // by subject id
}

type cacheEntry struct {
	subjectID string
	aead      cipher.AEAD
}

func newCache(max int) *cache {
	return &cache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (c *cache) get(subjectID string) (cipher.AEAD, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[subjectID]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).aead, true
}

func (c *cache) put(subjectID string, aead cipher.AEAD) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[subjectID]; ok {
		e.Value.(*cacheEntry).aead = aead
		c.order.MoveToFront(e)
		return
	}
	c.items[subjectID] = c.order.PushFront(&cacheEntry{subjectID: subjectID, aead: aead})
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheEntry).subjectID)
	}
}

func (c *cache) drop(subjectID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[subjectID]; ok {
		c.order.Remove(e)
		delete(c.items, subjectID)
	}
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
