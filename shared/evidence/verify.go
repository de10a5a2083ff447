package evidence

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Kind names what is wrong with a piece of evidence.
type Kind string

// Kinds of problem Verify reports.
const (
	// Missing: a manifest lists an object that is not in the bucket.
	Missing Kind = "missing"
	// Altered: an object's bytes no longer hash to what its manifest says.
	Altered Kind = "altered"
	// Unlisted: an object under runs/ that no manifest lists, or a key under
	// manifests/ that is no chain position.
	Unlisted Kind = "unlisted"
	// ChainBreak: a seq is missing, a manifest is unreadable or disagrees
	// with its key, or a link (previous, previousSha256) does not match.
	ChainBreak Kind = "chain-break"
)

// Problem is one finding of Verify. Key is the object or manifest concerned;
// Manifest, for an object, the manifest that lists it.
type Problem struct {
	Kind     Kind   `json:"kind"`
	Key      string `json:"key"`
	Manifest string `json:"manifest,omitempty"`
	Detail   string `json:"detail"`
}

// String reads as one line of verify's output.
func (p Problem) String() string {
	s := string(p.Kind) + " " + p.Key
	if p.Manifest != "" {
		s += " (listed in " + p.Manifest + ")"
	}
	return s + ": " + p.Detail
}

// Chain summarises one verified chain.
type Chain struct {
	Function  string `json:"function"`
	Account   string `json:"account"`
	Head      int64  `json:"head"`      // highest seq found
	Manifests int    `json:"manifests"` // manifests found
	Objects   int    `json:"objects"`   // objects they list
}

// VerifyReport is what Verify found. The evidence is intact when Problems
// is empty.
type VerifyReport struct {
	Bucket   string    `json:"bucket"`
	Chains   []Chain   `json:"chains"`
	Objects  int       `json:"objects"` // distinct objects re-hashed
	Problems []Problem `json:"problems"`
}

// Intact reports whether Verify found nothing wrong.
func (r *VerifyReport) Intact() bool { return len(r.Problems) == 0 }

// Verify walks every chain of function and account in bucket ("" for
// either means all found), checks each link, re-hashes every listed object
// and looks for objects no manifest lists. What it finds wrong is in the
// report; an error means it could not look (listing or reading failed, for
// instance access denied), which is never a clean result.
//
// With an account given, the manifests of the function's other accounts are
// still read, only to learn which objects under runs/ they list, because the
// runs/ layout does not name the account. The newest manifest of a chain has
// no successor to vouch for it; Object Lock on the bucket is what protects it.
func Verify(ctx context.Context, client VerifyAPI, bucket, function, account string) (
	*VerifyReport, error) {
	v := &verifier{client: client, bucket: bucket, function: function, account: account,
		report: &VerifyReport{Bucket: bucket, Chains: []Chain{}, Problems: []Problem{}},
		listed: map[string]bool{}}
	if err := v.run(ctx); err != nil {
		return nil, err
	}
	sortProblems(v.report.Problems)
	return v.report, nil
}

type verifier struct {
	client   VerifyAPI
	bucket   string
	function string
	account  string

	report *VerifyReport
	listed map[string]bool // every object key some manifest lists
	toHash []listing       // objects of the chains in scope
}

type listing struct {
	obj      Object
	manifest string
}

type chainID struct{ function, account string }

// entry is one manifest as read from the bucket.
type entry struct {
	seq      int64
	key      string
	sha256   string
	manifest *Manifest
	err      error // unreadable or undecodable
}

func (v *verifier) run(ctx context.Context) error {
	chains, err := v.listChains(ctx)
	if err != nil {
		return err
	}
	for _, id := range sortedChains(chains) {
		if err := v.chain(ctx, id, chains[id]); err != nil {
			return err
		}
	}
	if err := v.hashListed(ctx); err != nil {
		return err
	}
	return v.findUnlisted(ctx)
}

// listChains groups the manifest keys in scope by chain; a key that is no
// chain position is reported as unlisted.
func (v *verifier) listChains(ctx context.Context) (map[chainID][]int64, error) {
	prefix := "manifests/"
	if v.function != "" {
		prefix += v.function + "/"
	}
	chains := map[chainID][]int64{}
	err := listKeys(ctx, v.client, v.bucket, prefix, func(key string) {
		parts := strings.Split(strings.TrimPrefix(key, "manifests/"), "/")
		if len(parts) == 3 && parts[0] != "" && parts[1] != "" {
			if seq, ok := parseSeq(parts[2]); ok {
				id := chainID{parts[0], parts[1]}
				chains[id] = append(chains[id], seq)
				return
			}
		}
		if v.account == "" || (len(parts) > 1 && parts[1] == v.account) {
			v.problem(Unlisted, key, "", "not a manifest position of any chain")
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list manifests: %w", err)
	}
	return chains, nil
}

func (v *verifier) chain(ctx context.Context, id chainID, seqs []int64) error {
	entries, err := v.readManifests(ctx, id, seqs)
	if err != nil {
		return err
	}
	inScope := v.account == "" || id.account == v.account
	c := Chain{Function: id.function, Account: id.account, Manifests: len(entries)}
	for _, e := range entries {
		c.Head = max(c.Head, e.seq)
		if e.manifest == nil {
			continue
		}
		for _, o := range e.manifest.Objects {
			v.listed[o.Key] = true
			if inScope {
				v.toHash = append(v.toHash, listing{obj: o, manifest: e.key})
			}
		}
		c.Objects += len(e.manifest.Objects)
	}
	if inScope {
		v.checkLinks(id, entries)
		v.report.Chains = append(v.report.Chains, c)
	}
	return nil
}

// readManifests fetches a chain's manifests, a few at a time, sorted by seq.
func (v *verifier) readManifests(ctx context.Context, id chainID, seqs []int64) (
	[]entry, error) {
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	entries := make([]entry, len(seqs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, seq := range seqs {
		g.Go(func() error {
			e, err := v.readManifest(gctx, id, seq)
			entries[i] = e
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return entries, nil
}

func (v *verifier) readManifest(ctx context.Context, id chainID, seq int64) (entry, error) {
	e := entry{seq: seq, key: ManifestKey(id.function, id.account, seq)}
	body, err := readAll(ctx, v.client, v.bucket, e.key)
	if isNotFound(err) {
		e.err = fmt.Errorf("deleted while verifying")
		return e, nil
	}
	if err != nil {
		return e, fmt.Errorf("read manifest %s: %w", e.key, err)
	}
	e.sha256 = sha256Hex(body)
	var m Manifest
	if err := json.Unmarshal(body, &m); err != nil {
		e.err = fmt.Errorf("not a manifest: %w", err)
		return e, nil
	}
	e.manifest = &m
	return e, nil
}

// checkLinks reports gaps in the seqs and every link that does not hold.
func (v *verifier) checkLinks(id chainID, entries []entry) {
	var prev *entry
	for i := range entries {
		e := &entries[i]
		v.checkGap(id, prev, e)
		if e.err != nil {
			v.problem(ChainBreak, e.key, "", "unreadable manifest: "+e.err.Error())
		} else {
			v.checkManifest(id, e)
			v.checkLink(id, prev, e)
		}
		prev = e
	}
}

func (v *verifier) checkGap(id chainID, prev, e *entry) {
	from := int64(1)
	if prev != nil {
		from = prev.seq + 1
	}
	switch {
	case e.seq == from:
		return
	case e.seq == from+1:
		v.problem(ChainBreak, ManifestKey(id.function, id.account, from), "",
			fmt.Sprintf("manifest seq %d is missing", from))
	default:
		v.problem(ChainBreak, ManifestKey(id.function, id.account, from), "",
			fmt.Sprintf("manifests seq %d to %d are missing", from, e.seq-1))
	}
}

func (v *verifier) checkManifest(id chainID, e *entry) {
	m := e.manifest
	if m.Seq != e.seq || m.Function != id.function || m.Account != id.account {
		v.problem(ChainBreak, e.key, "", fmt.Sprintf(
			"manifest says function %q, account %q, seq %d, which is not where it is",
			m.Function, m.Account, m.Seq))
	}
}

func (v *verifier) checkLink(id chainID, prev, e *entry) {
	m := e.manifest
	if e.seq == 1 {
		if m.Previous != nil || m.PreviousSHA256 != nil {
			v.problem(ChainBreak, e.key, "", "first manifest names a previous one")
		}
		return
	}
	want := ManifestKey(id.function, id.account, e.seq-1)
	if got := deref(m.Previous); got != want {
		v.problem(ChainBreak, e.key, "", fmt.Sprintf("previous is %q, want %q", got, want))
	}
	if prev == nil || prev.seq != e.seq-1 || prev.err != nil {
		return // the gap or the unreadable predecessor is reported already
	}
	if got := deref(m.PreviousSHA256); got != prev.sha256 {
		v.problem(ChainBreak, e.key, "", fmt.Sprintf(
			"previousSha256 is %q, want %s (the sha256 of %s)", got, prev.sha256, prev.key))
	}
}

// hashListed re-hashes each listed object once, a few at a time, and
// compares it with every manifest that lists it.
func (v *verifier) hashListed(ctx context.Context) error {
	byKey := map[string][]listing{}
	for _, l := range v.toHash {
		byKey[l.obj.Key] = append(byKey[l.obj.Key], l)
	}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for key, ls := range byKey {
		g.Go(func() error {
			got, err := hashObject(gctx, v.client, v.bucket, key)
			if err != nil && !isNotFound(err) {
				return fmt.Errorf("read evidence %s: %w", key, err)
			}
			mu.Lock()
			defer mu.Unlock()
			v.compare(ls, got, err != nil)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	v.report.Objects = len(byKey)
	return nil
}

func (v *verifier) compare(ls []listing, got string, missing bool) {
	for _, l := range ls {
		switch {
		case missing:
			v.problem(Missing, l.obj.Key, l.manifest, "object is not in the bucket")
		case got != l.obj.SHA256:
			v.problem(Altered, l.obj.Key, l.manifest,
				fmt.Sprintf("sha256 is %s, want %s", got, l.obj.SHA256))
		}
	}
}

// findUnlisted reports objects under runs/ that no manifest lists. An
// object of a run that has not committed yet shows here too.
func (v *verifier) findUnlisted(ctx context.Context) error {
	prefix := "runs/"
	if v.function != "" {
		prefix = runPrefix(v.function)
	}
	err := listKeys(ctx, v.client, v.bucket, prefix, func(key string) {
		if !v.listed[key] {
			v.problem(Unlisted, key, "", "no manifest lists this object")
		}
	})
	if err != nil {
		return fmt.Errorf("list evidence objects: %w", err)
	}
	return nil
}

func (v *verifier) problem(kind Kind, key, manifest, detail string) {
	v.report.Problems = append(v.report.Problems,
		Problem{Kind: kind, Key: key, Manifest: manifest, Detail: detail})
}

func sortedChains(chains map[chainID][]int64) []chainID {
	ids := make([]chainID, 0, len(chains))
	for id := range chains {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if ids[i].function != ids[j].function {
			return ids[i].function < ids[j].function
		}
		return ids[i].account < ids[j].account
	})
	return ids
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Key != ps[j].Key {
			return ps[i].Key < ps[j].Key
		}
		return ps[i].Kind < ps[j].Kind
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
