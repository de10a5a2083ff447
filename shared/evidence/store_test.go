package evidence

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

var bucketSeq atomic.Int32

// newBucket returns a client of the emulator and a fresh bucket, so tests
// never see each other's evidence.
func newBucket(t testing.TB) (*s3.Client, string) {
	t.Helper()
	moto := testcloud.Shared(t)
	client := s3.NewFromConfig(moto.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	bucket := fmt.Sprintf("evidence-%d", bucketSeq.Add(1))
	if _, err := client.CreateBucket(t.Context(),
		&s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	return client, bucket
}

var t0 = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// commitRun writes one run with the given object names and commits it.
func commitRun(t testing.TB, s *Store, runID string, names ...string) string {
	t.Helper()
	r := s.NewRun(runID)
	for _, name := range names {
		v := map[string]string{"run": runID, "name": name}
		if _, err := r.PutJSON(t.Context(), name, v); err != nil {
			t.Fatalf("put %s: %v", name, err)
		}
	}
	key, err := r.Commit(t.Context(), t0)
	if err != nil {
		t.Fatalf("commit %s: %v", runID, err)
	}
	return key
}

func getBytes(t *testing.T, client *s3.Client, bucket, key string) []byte {
	t.Helper()
	b, err := readAll(t.Context(), client, bucket, key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	return b
}

func getManifest(t *testing.T, client *s3.Client, bucket, key string) Manifest {
	t.Helper()
	var m Manifest
	if err := json.Unmarshal(getBytes(t, client, bucket, key), &m); err != nil {
		t.Fatalf("decode %s: %v", key, err)
	}
	return m
}

func TestPutJSONReturnsURIAndRecordsHash(t *testing.T) {
	client, bucket := newBucket(t)
	run := NewStore(client, bucket, "promotion-gate", "111122223333").NewRun("r1")
	uri, err := run.PutJSON(t.Context(), "model-package.json", map[string]int{"version": 3})
	if err != nil {
		t.Fatal(err)
	}
	key := "runs/promotion-gate/r1/model-package.json"
	if want := "s3://" + bucket + "/" + key; uri != want {
		t.Errorf("got uri %s, want %s", uri, want)
	}
	body := getBytes(t, client, bucket, key)
	objs := run.Objects()
	if len(objs) != 1 || objs[0].Key != key || objs[0].SHA256 != sha256Hex(body) {
		t.Errorf("got objects %+v, want %s with sha256 %s", objs, key, sha256Hex(body))
	}
	head, err := client.HeadObject(t.Context(), &s3.HeadObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if got := head.Metadata[MetadataSHA256]; got != sha256Hex(body) {
		t.Errorf("got metadata sha256 %q, want %s", got, sha256Hex(body))
	}
	sum, _ := hex.DecodeString(sha256Hex(body))
	want := base64.StdEncoding.EncodeToString(sum)
	if got := aws.ToString(head.ChecksumSHA256); got != want {
		t.Errorf("got S3 checksum %q, want %s", got, want)
	}
	if got := aws.ToString(head.ContentType); got != "application/json" {
		t.Errorf("got content type %q, want application/json", got)
	}
}

func TestPutBytesIsWriteOnce(t *testing.T) {
	client, bucket := newBucket(t)
	store := NewStore(client, bucket, "posture-sweep", "111122223333")
	ctx := t.Context()
	if _, err := store.NewRun("r1").PutBytes(ctx, "a.txt", "text/plain", []byte("one")); err != nil {
		t.Fatal(err)
	}
	retry := store.NewRun("r1")
	if _, err := retry.PutBytes(ctx, "a.txt", "text/plain", []byte("one")); err != nil {
		t.Errorf("same bytes again: got %v, want success", err)
	}
	if len(retry.Objects()) != 1 {
		t.Errorf("retried put recorded %d objects, want 1", len(retry.Objects()))
	}
	_, err := store.NewRun("r1").PutBytes(ctx, "a.txt", "text/plain", []byte("two"))
	if !errors.Is(err, ErrExists) {
		t.Errorf("other bytes: got %v, want ErrExists", err)
	}
	if got := string(getBytes(t, client, bucket, "runs/posture-sweep/r1/a.txt")); got != "one" {
		t.Errorf("got stored %q, want the first bytes kept", got)
	}
}

func TestNamesThatLeaveTheLayoutAreRefused(t *testing.T) {
	client, bucket := newBucket(t)
	tests := []struct {
		name, function, account, runID, object string
	}{
		{"empty object name", "f", "a", "r", ""},
		{"parent directory", "f", "a", "r", "../other/x.json"},
		{"absolute", "f", "a", "r", "/x.json"},
		{"unclean", "f", "a", "r", "a//x.json"},
		{"run id with slash", "f", "a", "r/1", "x.json"},
		{"empty run id", "f", "a", "", "x.json"},
		{"function with slash", "f/g", "a", "r", "x.json"},
		{"empty account", "f", "", "r", "x.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := NewStore(client, bucket, tt.function, tt.account).NewRun(tt.runID)
			if _, err := run.PutBytes(t.Context(), tt.object, "text/plain", []byte("x")); err == nil {
				t.Error("got nil error, want the name refused")
			}
		})
	}
	out, err := client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Contents) != 0 {
		t.Errorf("got %d objects written, want 0", len(out.Contents))
	}
}

func TestCommitChainsManifests(t *testing.T) {
	client, bucket := newBucket(t)
	store := NewStore(client, bucket, "promotion-gate", "111122223333")
	k1 := commitRun(t, store, "r1", "model-package.json", "metrics.json")
	k2 := commitRun(t, store, "r2", "model-package.json")
	if want := "manifests/promotion-gate/111122223333/1.json"; k1 != want {
		t.Errorf("got first key %s, want %s", k1, want)
	}
	if want := "manifests/promotion-gate/111122223333/2.json"; k2 != want {
		t.Errorf("got second key %s, want %s", k2, want)
	}
	raw1 := getBytes(t, client, bucket, k1)
	if !bytes.Contains(raw1, []byte(`"previous": null`)) ||
		!bytes.Contains(raw1, []byte(`"previousSha256": null`)) {
		t.Errorf("first manifest %s lacks null previous links", raw1)
	}
	m1 := getManifest(t, client, bucket, k1)
	if m1.RunID != "r1" || m1.Seq != 1 || !m1.Time.Equal(t0) || len(m1.Objects) != 2 {
		t.Errorf("got manifest 1 %+v, want run r1, seq 1, time %s, 2 objects", m1, t0)
	}
	for _, o := range m1.Objects {
		if got := sha256Hex(getBytes(t, client, bucket, o.Key)); got != o.SHA256 {
			t.Errorf("%s: got sha256 %s, listed %s", o.Key, got, o.SHA256)
		}
	}
	m2 := getManifest(t, client, bucket, k2)
	if deref(m2.Previous) != k1 || deref(m2.PreviousSHA256) != sha256Hex(raw1) {
		t.Errorf("got link %q %q, want %s %s", deref(m2.Previous), deref(m2.PreviousSHA256),
			k1, sha256Hex(raw1))
	}
}

func TestCommitTwiceAndPutAfterCommitFail(t *testing.T) {
	client, bucket := newBucket(t)
	run := NewStore(client, bucket, "f", "a").NewRun("r1")
	if _, err := run.Commit(t.Context(), t0); err != nil {
		t.Fatalf("empty run: %v", err)
	}
	if _, err := run.Commit(t.Context(), t0); err == nil {
		t.Error("second commit: got nil error, want refusal")
	}
	if _, err := run.PutBytes(t.Context(), "late.txt", "text/plain", []byte("x")); err == nil {
		t.Error("put after commit: got nil error, want refusal")
	}
}

func TestStaleStoreChainsToTheNewestManifest(t *testing.T) {
	client, bucket := newBucket(t)
	first := NewStore(client, bucket, "drift-check", "111122223333")
	other := NewStore(client, bucket, "drift-check", "111122223333")
	commitRun(t, first, "r1", "a.json")
	commitRun(t, other, "r2", "a.json")
	commitRun(t, other, "r3", "a.json")
	key := commitRun(t, first, "r4", "a.json") // first still believes seq 1 is the head
	if want := ManifestKey("drift-check", "111122223333", 4); key != want {
		t.Errorf("got %s, want %s", key, want)
	}
	prev := getBytes(t, client, bucket, ManifestKey("drift-check", "111122223333", 3))
	if m := getManifest(t, client, bucket, key); deref(m.PreviousSHA256) != sha256Hex(prev) {
		t.Errorf("got previousSha256 %s, want %s", deref(m.PreviousSHA256), sha256Hex(prev))
	}
}

// TestConcurrentCommitsExtendOneChain runs N writers with their own stores,
// as separate function instances would, and expects seq 1..N with every
// manifest chained to exactly one predecessor.
func TestConcurrentCommitsExtendOneChain(t *testing.T) {
	const n = 8
	client, bucket := newBucket(t)
	keys := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			s := NewStore(client, bucket, "posture-sweep", "111122223333")
			r := s.NewRun(fmt.Sprintf("run-%d", i))
			if _, err := r.PutBytes(t.Context(), "snapshot.json", "application/json",
				[]byte(fmt.Sprintf(`{"i":%d}`, i))); err != nil {
				errs <- err
				return
			}
			key, err := r.Commit(t.Context(), t0)
			if err != nil {
				errs <- err
				return
			}
			keys <- key
		}()
	}
	seen := map[string]bool{}
	for range n {
		select {
		case err := <-errs:
			t.Fatalf("writer: %v", err)
		case k := <-keys:
			seen[k] = true
		}
	}
	for seq := int64(1); seq <= n; seq++ {
		if !seen[ManifestKey("posture-sweep", "111122223333", seq)] {
			t.Errorf("got keys %v, want seq %d among them", seen, seq)
		}
	}
	runs := map[string]bool{}
	for seq := int64(1); seq <= n; seq++ {
		m := getManifest(t, client, bucket, ManifestKey("posture-sweep", "111122223333", seq))
		runs[m.RunID] = true
	}
	if len(runs) != n {
		t.Errorf("got %d distinct runs in the chain, want %d (a run was overwritten)", len(runs), n)
	}
	report, err := Verify(t.Context(), client, bucket, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !report.Intact() {
		t.Errorf("got problems %v, want an intact chain", report.Problems)
	}
}

func TestParseSeq(t *testing.T) {
	tests := []struct {
		name string
		want int64
		ok   bool
	}{
		{"1.json", 1, true},
		{"42.json", 42, true},
		{"042.json", 0, false},
		{"0.json", 0, false},
		{"-1.json", 0, false},
		{"+1.json", 0, false},
		{"1.txt", 0, false},
		{".json", 0, false},
		{"1e3.json", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseSeq(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseSeq(%q): got %d %v, want %d %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPerAccountOpensEachStoreOnce(t *testing.T) {
	opened := map[string]int{}
	get := PerAccount(func(account string) *Store {
		opened[account]++
		return NewStore(nil, "b", "f", account)
	})
	a1, a2, b := get("111"), get("111"), get("222")
	if a1 != a2 || a1 == b || opened["111"] != 1 || opened["222"] != 1 {
		t.Errorf("got opened %v, same store %v", opened, a1 == a2)
	}
}
