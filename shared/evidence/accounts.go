package evidence

import "sync"

// PerAccount returns a function that opens each account's store once and
// hands the same store out again, so that a warm function keeps its cached
// chain head instead of listing the whole chain for every run.
func PerAccount(open func(account string) *Store) func(account string) *Store {
	var mu sync.Mutex
	stores := map[string]*Store{}
	return func(account string) *Store {
		mu.Lock()
		defer mu.Unlock()
		s, ok := stores[account]
		if !ok {
			s = open(account)
			stores[account] = s
		}
		return s
	}
}
