// Package evidence keeps what an audit run saw in a form an auditor can
// trust later: every object is written once under runs/<function>/<runId>/
// with its SHA-256, and each run ends with a manifest that lists those
// objects and is chained, by the hash of its predecessor, to the previous
// manifest of the same function and account. Verify walks the chains and
// re-hashes everything, so a deleted, altered or slipped-in object, and a
// removed or rewritten manifest, all show.
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
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// VerifyAPI is the part of S3 that reading evidence back needs.
type VerifyAPI interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput,
		opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input,
		opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

// S3API is the part of S3 that writing evidence needs; *s3.Client has it.
type S3API interface {
	VerifyAPI
	PutObject(ctx context.Context, in *s3.PutObjectInput,
		opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// MetadataSHA256 is the user metadata key (x-amz-meta-sha256) that carries
// an object's hex SHA-256, so that the hash travels with the object even
// when it is copied out of the bucket.
const MetadataSHA256 = "sha256"

// ErrExists reports that an evidence object of the same key already holds
// different bytes. Evidence is written once: a run that reuses a name (or a
// run id) must not replace what an earlier manifest may list.
var ErrExists = errors.New("evidence object exists with other content")

// Store writes the evidence of one function in one account (an AWS account
// id or an Azure subscription id) to one bucket. It is safe for concurrent
// use, and concurrent runs, in one process or many, extend one chain.
type Store struct {
	client   S3API
	bucket   string
	function string
	account  string

	mu   sync.Mutex
	head *link // the newest manifest this store knows of, nil if unknown
}

// NewStore returns a store for function's evidence of account in bucket.
// The names are checked when the first object is written.
func NewStore(client S3API, bucket, function, account string) *Store {
	return &Store{client: client, bucket: bucket, function: function, account: account}
}

// Object is one evidence object as a manifest lists it.
type Object struct {
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
}

// Run collects the objects of one run (or one batch of a fanned-out run)
// until Commit lists them in a manifest. It is safe for concurrent use.
type Run struct {
	store *Store
	id    string

	mu        sync.Mutex
	objects   map[string]Object // by key
	committed bool
}

// NewRun starts a run whose objects go under runs/<function>/<runID>/.
// Batches of one fanned-out run may share a run id as long as they use
// different object names.
func (s *Store) NewRun(runID string) *Run {
	return &Run{store: s, id: runID, objects: map[string]Object{}}
}

// ID returns the run id.
func (r *Run) ID() string { return r.id }

// PutJSON writes v as indented JSON under name and returns its s3:// URI.
func (r *Run) PutJSON(ctx context.Context, name string, v any) (string, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode evidence %s: %w", name, err)
	}
	return r.PutBytes(ctx, name, "application/json", append(b, '\n'))
}

// PutBytes writes b under name (a relative path such as
// "model-package.json" or "clarify/report.json") and returns its s3:// URI.
// The object carries its SHA-256 both as user metadata and as the S3
// checksum, which S3 verifies on arrival and which Object Lock buckets
// require. Writing the same bytes again is a no-op, so a retried run
// succeeds; other bytes under the same key fail with ErrExists.
func (r *Run) PutBytes(ctx context.Context, name, contentType string, b []byte) (string, error) {
	key, err := r.key(name)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	obj := Object{Key: key, SHA256: hex.EncodeToString(sum[:])}
	if err := r.store.putOnce(ctx, obj, contentType, b); err != nil {
		return "", err
	}
	if err := r.record(obj); err != nil {
		return "", err
	}
	return r.store.URI(key), nil
}

// Objects returns the objects written so far, sorted by key.
func (r *Run) Objects() []Object {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sortedObjects()
}

func (r *Run) sortedObjects() []Object {
	out := make([]Object, 0, len(r.objects))
	for _, o := range r.objects {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func (r *Run) key(name string) (string, error) {
	if err := r.store.checkNames(); err != nil {
		return "", err
	}
	if err := checkSegment("run id", r.id); err != nil {
		return "", err
	}
	if err := checkName(name); err != nil {
		return "", err
	}
	return runPrefix(r.store.function) + r.id + "/" + name, nil
}

func (r *Run) record(obj Object) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.committed {
		return fmt.Errorf("record %s: run %s is already committed", obj.Key, r.id)
	}
	r.objects[obj.Key] = obj
	return nil
}

// URI returns the s3:// address of a key in the store's bucket.
func (s *Store) URI(key string) string {
	return "s3://" + s.bucket + "/" + key
}

// putOnce writes an object only if its key is free. When it is taken by the
// same bytes (a retry), that is success.
func (s *Store) putOnce(ctx context.Context, obj Object, contentType string, b []byte) error {
	sum, _ := hex.DecodeString(obj.SHA256)
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:            aws.String(s.bucket),
		Key:               aws.String(obj.Key),
		Body:              bytes.NewReader(b),
		ContentType:       aws.String(contentType),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
		ChecksumSHA256:    aws.String(base64.StdEncoding.EncodeToString(sum)),
		Metadata:          map[string]string{MetadataSHA256: obj.SHA256},
		IfNoneMatch:       aws.String("*"),
	})
	if err == nil {
		return nil
	}
	if !isConditionFailed(err) {
		return fmt.Errorf("put evidence %s: %w", obj.Key, err)
	}
	got, err := s.hashObject(ctx, obj.Key)
	if err != nil {
		return fmt.Errorf("put evidence %s: read existing: %w", obj.Key, err)
	}
	if got != obj.SHA256 {
		return fmt.Errorf("put evidence %s: %w", obj.Key, ErrExists)
	}
	return nil
}

func (s *Store) hashObject(ctx context.Context, key string) (string, error) {
	return hashObject(ctx, s.client, s.bucket, key)
}

func hashObject(ctx context.Context, client VerifyAPI, bucket, key string) (string, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, out.Body); err != nil {
		return "", fmt.Errorf("read %s: %w", key, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (s *Store) checkNames() error {
	if s.bucket == "" {
		return errors.New("evidence store: bucket is empty")
	}
	if err := checkSegment("function", s.function); err != nil {
		return err
	}
	return checkSegment("account", s.account)
}

// checkSegment refuses a name that would move an object out of its place
// in the layout.
func checkSegment(what, s string) error {
	if s == "" || s == "." || s == ".." || strings.ContainsAny(s, "/\\") {
		return fmt.Errorf("evidence store: invalid %s %q", what, s)
	}
	return nil
}

func checkName(name string) error {
	if name == "" || path.Clean(name) != name || strings.HasPrefix(name, "/") ||
		strings.HasPrefix(name, "../") || name == ".." || strings.Contains(name, "\\") {
		return fmt.Errorf("evidence store: invalid object name %q", name)
	}
	return nil
}

func runPrefix(function string) string { return "runs/" + function + "/" }
