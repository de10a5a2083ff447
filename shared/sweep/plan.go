package sweep

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// listPage is the number of buckets asked for per ListBuckets page, the
// most S3 allows. moto 5.2.1 cuts the list at max-buckets without a
// continuation token, so a smaller page would silently drop buckets there.
const listPage = 10000

// plan is the night's work, cut into batches.
type plan struct {
	batches  []Batch
	unlisted []Unlisted
	calls    Calls
	planned  Planned
}

// Run sweeps everything: it plans, sends the storage batches to the queue
// (or judges them here), judges the register's own checks here, and
// returns what this process found.
func (s *Sweep) Run(ctx context.Context) (*Result, error) {
	runID := evidence.NewRunID(s.now())
	reg, err := register.Load(ctx, s.Register)
	if err != nil {
		return nil, fmt.Errorf("load register: %w", err)
	}
	p, err := s.plan(ctx, runID, reg)
	if err != nil {
		return nil, err
	}
	res := newResult(runID, s.DryRun)
	res.Counts.Calls = p.calls
	res.Counts.Planned = p.planned
	s.log().InfoContext(ctx, "sweep planned", "runId", runID, "batches", len(p.batches),
		"buckets", p.planned.Buckets, "storageAccounts", p.planned.StorageAccounts,
		"endpoints", p.planned.Endpoints, "azureMLEndpoints", p.planned.AzureMLEndpoints)
	if err := s.dispatch(ctx, p.batches, reg, res); err != nil {
		return res, err
	}
	res.finish()
	return res, nil
}

// dispatch sends the storage batches to the queue, or judges them here,
// and judges the register batch here. Batches judged here run InFlight at a time (one
// by default), and each commits its evidence and sends its alerts on its
// own, so a failure keeps the batches that finished; after one fails, no
// further batch starts.
func (s *Sweep) dispatch(ctx context.Context, batches []Batch, reg *register.Register,
	res *Result) error {
	var local, remote []Batch
	for _, b := range batches {
		if b.Register == nil && s.fansOut() {
			remote = append(remote, b)
		} else {
			local = append(local, b)
		}
	}
	// Sent first, so that a failure here never holds the others back.
	var sendErr error
	if len(remote) > 0 {
		if sendErr = s.send(ctx, remote); sendErr == nil {
			res.Counts.Queued = len(remote)
		}
	}
	return errors.Join(sendErr, s.runLocal(ctx, local, reg, res))
}

// runLocal judges batches in this process, InFlight at a time.
func (s *Sweep) runLocal(ctx context.Context, batches []Batch, reg *register.Register,
	res *Result) error {
	results := make([]*Result, len(batches))
	var failed atomic.Bool
	var g errgroup.Group
	g.SetLimit(s.inFlight())
	for i, b := range batches {
		g.Go(func() error {
			if failed.Load() {
				return nil
			}
			br, err := s.processBatch(ctx, b, b.RunID, reg)
			if err != nil {
				failed.Store(true)
				return fmt.Errorf("batch %d of %d (%s): %w", b.Seq, b.Of, b.kind(), err)
			}
			results[i] = br
			return nil
		})
	}
	err := g.Wait()
	for _, br := range results {
		if br != nil {
			res.add(br)
		}
	}
	return err
}

// plan lists every target's buckets and every subscription's storage
// accounts, places the register's storage among them, and cuts the lot
// into batches.
func (s *Sweep) plan(ctx context.Context, runID string, reg *register.Register) (*plan, error) {
	p := &plan{}
	owners := storageOwners(reg)
	placed := map[string]bool{}
	if err := s.planAWS(ctx, p, owners, placed); err != nil {
		return nil, err
	}
	if err := s.planAzure(ctx, p, owners, placed); err != nil {
		return nil, err
	}
	if err := s.planEndpoints(ctx, p, reg); err != nil {
		return nil, err
	}
	if err := s.planAzureML(ctx, p, reg); err != nil {
		return nil, err
	}
	p.batches = append(p.batches, Batch{Register: &RegisterWork{Assessments: true,
		Unplaced: unplacedAzure(owners, placed), Unlisted: p.unlisted}})
	for i := range p.batches {
		p.batches[i].RunID, p.batches[i].Seq, p.batches[i].Of = runID, i+1, len(p.batches)
	}
	p.planned.Batches = len(p.batches)
	return p, nil
}

// storageOwners maps each storage URI the register lists to the first
// system, by id, that lists it.
func storageOwners(reg *register.Register) map[string]string {
	systems := append([]*register.System(nil), reg.Systems...)
	sort.Slice(systems, func(i, j int) bool { return systems[i].ID < systems[j].ID })
	owners := map[string]string{}
	for _, sys := range systems {
		for _, raw := range sys.Storage {
			uri := normalURI(raw)
			if _, taken := owners[uri]; !taken {
				owners[uri] = sys.ID
			}
		}
	}
	return owners
}

// planAWS lists each target's buckets once, groups them by region and
// batches them. Register buckets found in no target are judged with the
// home account's credentials, where a missing or foreign bucket shows as
// indeterminate rather than vanishing from the sweep.
func (s *Sweep) planAWS(ctx context.Context, p *plan, owners map[string]string,
	placed map[string]bool) error {
	seen := map[string]bool{}
	for _, t := range s.Targets {
		if seen[t.key()] {
			continue
		}
		seen[t.key()] = true
		byRegion, err := s.listTarget(ctx, p, t, owners, placed)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			p.unlisted = append(p.unlisted, unlistedOf("aws", t.Account, err))
		}
		s.batchBuckets(p, t, byRegion)
	}
	var orphans []Resource
	for uri, sys := range owners {
		name, ok := strings.CutPrefix(uri, "s3://")
		if ok && !placed[uri] {
			orphans = append(orphans, Resource{Name: name, System: sys})
			placed[uri] = true
		}
	}
	if len(orphans) > 0 {
		s.batchBuckets(p, s.Home, map[string][]Resource{s.Home.Regions[0]: orphans})
	}
	return nil
}

// listTarget pages through one target's buckets. When a page fails, the
// buckets listed before it are returned with the error.
func (s *Sweep) listTarget(ctx context.Context, p *plan, t Target, owners map[string]string,
	placed map[string]bool) (map[string][]Resource, error) {
	byRegion := map[string][]Resource{}
	acct, err := s.Connect(ctx, t, t.Regions[0])
	if err != nil {
		return byRegion, fmt.Errorf("connect to account %s: %w", t.Account, err)
	}
	pages := s3.NewListBucketsPaginator(acct.Buckets,
		&s3.ListBucketsInput{MaxBuckets: aws.Int32(listPage)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		p.calls.Listing++
		if err != nil {
			return byRegion, fmt.Errorf("list buckets of account %s: %w", t.Account, err)
		}
		for _, b := range page.Buckets {
			name := aws.ToString(b.Name)
			uri := "s3://" + name
			region := aws.ToString(b.BucketRegion)
			if region == "" {
				region = t.Regions[0]
			}
			byRegion[region] = append(byRegion[region], Resource{Name: name, System: owners[uri]})
			placed[uri] = true
		}
	}
	return byRegion, nil
}

func (s *Sweep) batchBuckets(p *plan, t Target, byRegion map[string][]Resource) {
	regions := make([]string, 0, len(byRegion))
	for r := range byRegion {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	size := s.batchSize()
	for _, region := range regions {
		rs := byRegion[region]
		sort.Slice(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
		p.planned.Buckets += len(rs)
		for start := 0; start < len(rs); start += size {
			end := min(start+size, len(rs))
			p.batches = append(p.batches, Batch{AWS: &AWSWork{Target: t, Region: region,
				Buckets: rs[start:end]}})
		}
	}
}

// normalURI trims a storage URI to the resource the sweep judges: the
// bucket of an s3:// URI, the account and container of an azure:// one.
func normalURI(uri string) string {
	for _, scheme := range []string{"s3://", "azure://"} {
		rest, ok := strings.CutPrefix(uri, scheme)
		if !ok {
			continue
		}
		parts := strings.SplitN(rest, "/", 3)
		if scheme == "s3://" || len(parts) < 2 {
			return scheme + parts[0]
		}
		return scheme + parts[0] + "/" + parts[1]
	}
	return uri
}
