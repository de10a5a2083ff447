package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Manifest lists the objects of one run and links to the manifest before it
// in the chain of its function and account. Previous and PreviousSHA256 are
// null for the first manifest (seq 1) of a chain.
type Manifest struct {
	RunID          string    `json:"runId"`
	Function       string    `json:"function"`
	Account        string    `json:"account"`
	Seq            int64     `json:"seq"`
	Time           time.Time `json:"time"`
	Objects        []Object  `json:"objects"`
	Previous       *string   `json:"previous"`
	PreviousSHA256 *string   `json:"previousSha256"`
}

// maxClaims bounds the attempts to claim a chain position. Each lost claim
// means another run extended the chain, so only a flood of concurrent runs
// reaches it.
const maxClaims = 100

// link is a manifest as a successor refers to it.
type link struct {
	seq    int64
	key    string
	sha256 string
}

// ManifestKey returns the key of a chain position.
func ManifestKey(function, account string, seq int64) string {
	return manifestPrefix(function, account) + strconv.FormatInt(seq, 10) + ".json"
}

func manifestPrefix(function, account string) string {
	return "manifests/" + function + "/" + account + "/"
}

// Commit writes the run's manifest as the next link of the chain and
// returns its key. The position is claimed by creating the key only if it
// is absent (S3 conditional write, If-None-Match: *): a run that loses the
// race reads the winner's manifest, chains to it and tries the next seq, so
// concurrent runs extend the chain instead of forking it. The objects were
// written before, so a manifest never lists what is not yet there.
func (r *Run) Commit(ctx context.Context, at time.Time) (string, error) {
	objects, err := r.seal()
	if err != nil {
		return "", err
	}
	s := r.store
	prev, err := s.knownHead(ctx)
	if err != nil {
		return "", err
	}
	for range maxClaims {
		m := r.manifest(at, objects, prev)
		body, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return "", fmt.Errorf("encode manifest: %w", err)
		}
		body = append(body, '\n')
		key := ManifestKey(s.function, s.account, m.Seq)
		won, err := s.claim(ctx, key, body)
		if err != nil {
			r.unseal()
			return "", err
		}
		if won {
			s.setHead(&link{seq: m.Seq, key: key, sha256: sha256Hex(body)})
			return key, nil
		}
		if prev, err = s.advance(ctx, prev); err != nil {
			r.unseal()
			return "", err
		}
	}
	r.unseal()
	return "", fmt.Errorf("commit run %s: chain still contended after %d claims", r.id, maxClaims)
}

// seal stops further objects from joining the run, so the manifest lists
// exactly what was written.
func (r *Run) seal() ([]Object, error) {
	if err := r.store.checkNames(); err != nil {
		return nil, err
	}
	if err := checkSegment("run id", r.id); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.committed {
		return nil, fmt.Errorf("commit run %s: already committed", r.id)
	}
	r.committed = true
	return r.sortedObjects(), nil
}

// unseal lets a caller retry Commit after an error.
func (r *Run) unseal() {
	r.mu.Lock()
	r.committed = false
	r.mu.Unlock()
}

func (r *Run) manifest(at time.Time, objects []Object, prev *link) Manifest {
	m := Manifest{
		RunID:    r.id,
		Function: r.store.function,
		Account:  r.store.account,
		Seq:      1,
		Time:     at.UTC(),
		Objects:  objects,
	}
	if prev != nil {
		m.Seq = prev.seq + 1
		m.Previous = aws.String(prev.key)
		m.PreviousSHA256 = aws.String(prev.sha256)
	}
	return m
}

// claim creates key with body unless it exists. It reports false when
// another writer holds the position.
func (s *Store) claim(ctx context.Context, key string, body []byte) (bool, error) {
	sum := sha256.Sum256(body)
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:            aws.String(s.bucket),
		Key:               aws.String(key),
		Body:              bytes.NewReader(body),
		ContentType:       aws.String("application/json"),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
		ChecksumSHA256:    aws.String(base64.StdEncoding.EncodeToString(sum[:])),
		Metadata:          map[string]string{MetadataSHA256: hex.EncodeToString(sum[:])},
		IfNoneMatch:       aws.String("*"),
	})
	switch {
	case err == nil:
		return true, nil
	case isConditionFailed(err):
		return false, nil
	case isConflict(err):
		// Another conditional write to the key is in flight: let it land.
		return false, pause(ctx, time.Duration(10+rand.IntN(40))*time.Millisecond)
	default:
		return false, fmt.Errorf("put manifest %s: %w", key, err)
	}
}

func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// advance moves past a lost claim: the position after prev is taken, so the
// next manifest chains to whatever holds it. When that manifest cannot be
// read yet (a write still in flight), prev stays and the claim is retried.
func (s *Store) advance(ctx context.Context, prev *link) (*link, error) {
	seq := int64(1)
	if prev != nil {
		seq = prev.seq + 1
	}
	key := ManifestKey(s.function, s.account, seq)
	body, err := readAll(ctx, s.client, s.bucket, key)
	if isNotFound(err) {
		return prev, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", key, err)
	}
	next := &link{seq: seq, key: key, sha256: sha256Hex(body)}
	s.setHead(next)
	return next, nil
}

// knownHead returns the newest manifest this store has seen, or finds the
// chain head by listing when it has seen none. A stale head only costs lost
// claims, each of which moves it forward.
func (s *Store) knownHead(ctx context.Context) (*link, error) {
	s.mu.Lock()
	head := s.head
	s.mu.Unlock()
	if head != nil {
		return head, nil
	}
	seq, err := s.listHead(ctx)
	if err != nil || seq == 0 {
		return nil, err
	}
	key := ManifestKey(s.function, s.account, seq)
	body, err := readAll(ctx, s.client, s.bucket, key)
	if err != nil {
		return nil, fmt.Errorf("read chain head %s: %w", key, err)
	}
	head = &link{seq: seq, key: key, sha256: sha256Hex(body)}
	s.setHead(head)
	return head, nil
}

func (s *Store) setHead(l *link) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.head == nil || l.seq > s.head.seq {
		s.head = l
	}
}

// listHead returns the highest seq under the chain's prefix, 0 for none.
func (s *Store) listHead(ctx context.Context) (int64, error) {
	prefix := manifestPrefix(s.function, s.account)
	var head int64
	err := listKeys(ctx, s.client, s.bucket, prefix, func(key string) {
		if seq, ok := parseSeq(strings.TrimPrefix(key, prefix)); ok && seq > head {
			head = seq
		}
	})
	if err != nil {
		return 0, fmt.Errorf("find chain head: %w", err)
	}
	return head, nil
}

// parseSeq reads "<seq>.json", refusing leading zeros and signs so that
// one seq has exactly one key.
func parseSeq(name string) (int64, bool) {
	digits, ok := strings.CutSuffix(name, ".json")
	if !ok || digits == "" || digits[0] == '0' || strings.ContainsAny(digits, "+-") {
		return 0, false
	}
	seq, err := strconv.ParseInt(digits, 10, 64)
	return seq, err == nil && seq > 0
}

func listKeys(ctx context.Context, client VerifyAPI, bucket, prefix string,
	each func(key string)) error {
	p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{
		Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list %s: %w", prefix, err)
		}
		for _, o := range page.Contents {
			each(aws.ToString(o.Key))
		}
	}
	return nil
}

func readAll(ctx context.Context, client VerifyAPI, bucket, key string) ([]byte, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// isConditionFailed reports S3's answer to a create-if-absent on a key
// that exists.
func isConditionFailed(err error) bool { return apiCode(err) == "PreconditionFailed" }

// isConflict reports S3's answer when two conditional writes to one key
// race (HTTP 409).
func isConflict(err error) bool { return apiCode(err) == "ConditionalRequestConflict" }

func isNotFound(err error) bool {
	switch apiCode(err) {
	case "NoSuchKey", "NotFound":
		return true
	}
	return false
}
