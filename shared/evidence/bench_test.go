package evidence

import (
	"fmt"
	"testing"
)

// BenchmarkCommit measures one run of one 1 KiB object and its manifest
// against the emulator: two S3 writes once the store knows the chain head.
func BenchmarkCommit(b *testing.B) {
	client, bucket := newBucket(b)
	store := NewStore(client, bucket, "posture-sweep", "111122223333")
	body := make([]byte, 1024)
	i := 0
	for b.Loop() {
		i++
		run := store.NewRun(fmt.Sprintf("run-%d", i))
		_, err := run.PutBytes(b.Context(), "snapshot.json", "application/json", body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := run.Commit(b.Context(), t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures a full verification of a chain of 20 manifests
// listing 3 objects each.
func BenchmarkVerify(b *testing.B) {
	client, bucket := newBucket(b)
	store := NewStore(client, bucket, "promotion-gate", "111122223333")
	for i := range 20 {
		commitRun(b, store, fmt.Sprintf("run-%d", i), "a.json", "b.json", "c.json")
	}
	for b.Loop() {
		report, err := Verify(b.Context(), client, bucket, "", "")
		if err != nil || !report.Intact() {
			b.Fatalf("verify: %v %v", err, report)
		}
	}
}
