package azureml

import "sync"

// once builds a value per key at most once, concurrently safe; a failed
// build is not kept, so the next call tries again.
type once[T any] struct {
	mu   sync.Mutex
	vals map[string]T
}

func newOnce[T any]() *once[T] { return &once[T]{vals: map[string]T{}} }

func (o *once[T]) get(key string, build func() (T, error)) (T, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if v, ok := o.vals[key]; ok {
		return v, nil
	}
	v, err := build()
	if err == nil {
		o.vals[key] = v
	}
	return v, err
}
