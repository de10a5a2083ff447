package evidence

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const (
	gate = "promotion-gate"
	acct = "111122223333"
)

// threeRuns writes a chain of three manifests, two objects each.
func threeRuns(t *testing.T) (*s3.Client, string) {
	t.Helper()
	client, bucket := newBucket(t)
	store := NewStore(client, bucket, gate, acct)
	for _, id := range []string{"r1", "r2", "r3"} {
		commitRun(t, store, id, "model-package.json", "metrics/fairness.json")
	}
	return client, bucket
}

func put(t *testing.T, client *s3.Client, bucket, key, body string) {
	t.Helper()
	if _, err := client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket),
		Key: aws.String(key), Body: bytes.NewReader([]byte(body))}); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

func del(t *testing.T, client *s3.Client, bucket, key string) {
	t.Helper()
	if _, err := client.DeleteObject(t.Context(), &s3.DeleteObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
		t.Fatalf("delete %s: %v", key, err)
	}
}

func verify(t *testing.T, client *s3.Client, bucket, function, account string) *VerifyReport {
	t.Helper()
	report, err := Verify(t.Context(), client, bucket, function, account)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return report
}

func TestVerifyCleanChain(t *testing.T) {
	client, bucket := threeRuns(t)
	report := verify(t, client, bucket, "", "")
	if !report.Intact() {
		t.Fatalf("got problems %v, want none", report.Problems)
	}
	want := []Chain{{Function: gate, Account: acct, Head: 3, Manifests: 3, Objects: 6}}
	if !slices.Equal(report.Chains, want) {
		t.Errorf("got chains %+v, want %+v", report.Chains, want)
	}
	if report.Objects != 6 {
		t.Errorf("got %d objects re-hashed, want 6", report.Objects)
	}
}

func TestVerifyFindsTampering(t *testing.T) {
	obj := "runs/promotion-gate/r2/model-package.json"
	m2 := ManifestKey(gate, acct, 2)
	m3 := ManifestKey(gate, acct, 3)
	tests := []struct {
		name   string
		tamper func(t *testing.T, c *s3.Client, bucket string)
		want   []Problem // Kind, Key and Manifest are compared
	}{
		{"altered object", func(t *testing.T, c *s3.Client, b string) {
			put(t, c, b, obj, `{"version": 4}`)
		}, []Problem{{Kind: Altered, Key: obj, Manifest: m2}}},
		{"deleted object", func(t *testing.T, c *s3.Client, b string) {
			del(t, c, b, obj)
		}, []Problem{{Kind: Missing, Key: obj, Manifest: m2}}},
		{"unlisted object", func(t *testing.T, c *s3.Client, b string) {
			put(t, c, b, "runs/promotion-gate/r2/extra.json", `{}`)
		}, []Problem{{Kind: Unlisted, Key: "runs/promotion-gate/r2/extra.json"}}},
		{"rewritten manifest", func(t *testing.T, c *s3.Client, b string) {
			m := getManifest(t, c, b, m2)
			m.Objects = m.Objects[:1] // hide one object from the record
			putJSON(t, c, b, m2, m)
		}, []Problem{{Kind: ChainBreak, Key: m3},
			{Kind: Unlisted, Key: "runs/promotion-gate/r2/model-package.json"}}},
		{"deleted manifest", func(t *testing.T, c *s3.Client, b string) {
			del(t, c, b, m2)
		}, []Problem{{Kind: ChainBreak, Key: m2},
			{Kind: Unlisted, Key: "runs/promotion-gate/r2/metrics/fairness.json"},
			{Kind: Unlisted, Key: "runs/promotion-gate/r2/model-package.json"}}},
		{"link to another manifest", func(t *testing.T, c *s3.Client, b string) {
			m := getManifest(t, c, b, m3)
			m.Previous = aws.String(ManifestKey(gate, acct, 1))
			putJSON(t, c, b, m3, m)
		}, []Problem{{Kind: ChainBreak, Key: m3}}},
		{"manifest moved", func(t *testing.T, c *s3.Client, b string) {
			putJSON(t, c, b, ManifestKey(gate, acct, 4), getManifest(t, c, b, m3))
		}, []Problem{{Kind: ChainBreak, Key: ManifestKey(gate, acct, 4)}, // says seq 3
			{Kind: ChainBreak, Key: ManifestKey(gate, acct, 4)},   // previous is 2
			{Kind: ChainBreak, Key: ManifestKey(gate, acct, 4)}}}, // hash of 2
		{"garbage manifest", func(t *testing.T, c *s3.Client, b string) {
			put(t, c, b, m3, "not json")
		}, []Problem{{Kind: ChainBreak, Key: m3},
			{Kind: Unlisted, Key: "runs/promotion-gate/r3/metrics/fairness.json"},
			{Kind: Unlisted, Key: "runs/promotion-gate/r3/model-package.json"}}},
		{"stray key under manifests", func(t *testing.T, c *s3.Client, b string) {
			put(t, c, b, "manifests/promotion-gate/111122223333/03.json", "{}")
		}, []Problem{{Kind: Unlisted, Key: "manifests/promotion-gate/111122223333/03.json"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, bucket := threeRuns(t)
			tt.tamper(t, client, bucket)
			got := verify(t, client, bucket, "", "").Problems
			assertProblems(t, got, tt.want)
		})
	}
}

func TestVerifyReportsEveryProblemAtOnce(t *testing.T) {
	client, bucket := threeRuns(t)
	put(t, client, bucket, "runs/promotion-gate/r1/model-package.json", "{}")
	del(t, client, bucket, "runs/promotion-gate/r3/metrics/fairness.json")
	put(t, client, bucket, "runs/promotion-gate/r9/planted.json", "{}")
	del(t, client, bucket, ManifestKey(gate, acct, 2))
	got := verify(t, client, bucket, gate, "").Problems
	assertProblems(t, got, []Problem{
		{Kind: ChainBreak, Key: ManifestKey(gate, acct, 2)},
		{Kind: Altered, Key: "runs/promotion-gate/r1/model-package.json",
			Manifest: ManifestKey(gate, acct, 1)},
		{Kind: Unlisted, Key: "runs/promotion-gate/r2/metrics/fairness.json"},
		{Kind: Unlisted, Key: "runs/promotion-gate/r2/model-package.json"},
		{Kind: Missing, Key: "runs/promotion-gate/r3/metrics/fairness.json",
			Manifest: ManifestKey(gate, acct, 3)},
		{Kind: Unlisted, Key: "runs/promotion-gate/r9/planted.json"},
	})
}

// TestVerifyScopesToAccount checks that another account's objects, which
// share the runs/ prefix, count as listed, and that its damage is not
// reported when verifying one account only.
func TestVerifyScopesToAccount(t *testing.T) {
	client, bucket := newBucket(t)
	commitRun(t, NewStore(client, bucket, gate, "111111111111"), "a1", "x.json")
	commitRun(t, NewStore(client, bucket, gate, "222222222222"), "b1", "y.json")
	put(t, client, bucket, "runs/promotion-gate/b1/y.json", "{}")

	one := verify(t, client, bucket, gate, "111111111111")
	if !one.Intact() || len(one.Chains) != 1 || one.Chains[0].Account != "111111111111" {
		t.Errorf("account 1: got chains %+v problems %v, want its one chain intact",
			one.Chains, one.Problems)
	}
	all := verify(t, client, bucket, "", "")
	assertProblems(t, all.Problems, []Problem{{Kind: Altered, Key: "runs/promotion-gate/b1/y.json",
		Manifest: ManifestKey(gate, "222222222222", 1)}})
}

func TestVerifyEmptyBucketIsIntact(t *testing.T) {
	client, bucket := newBucket(t)
	report := verify(t, client, bucket, "", "")
	if !report.Intact() || len(report.Chains) != 0 {
		t.Errorf("got %+v, want no chains and no problems", report)
	}
}

func TestVerifyFailsWhenBucketIsUnreadable(t *testing.T) {
	client, _ := newBucket(t)
	if _, err := Verify(t.Context(), client, "no-such-bucket-here", "", ""); err == nil {
		t.Error("got nil error, want the listing failure")
	}
}

func putJSON(t *testing.T, client *s3.Client, bucket, key string, m Manifest) {
	t.Helper()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	put(t, client, bucket, key, string(b))
}

func assertProblems(t *testing.T, got, want []Problem) {
	t.Helper()
	strip := func(ps []Problem) []Problem {
		out := make([]Problem, len(ps))
		for i, p := range ps {
			out[i] = Problem{Kind: p.Kind, Key: p.Key, Manifest: p.Manifest}
		}
		return out
	}
	if !slices.Equal(strip(got), strip(want)) {
		t.Errorf("got problems:\n%v\nwant (kind, key, manifest):\n%v", got, want)
	}
	for _, p := range got {
		if p.Detail == "" {
			t.Errorf("problem %v has no detail", p)
		}
	}
}
