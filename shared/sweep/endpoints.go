package sweep

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"golang.org/x/sync/errgroup"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// endpointBatchSize is the number of endpoints per batch; each walk of
// endpoint, configuration, models, packages and cards is a dozen calls or
// so.
const endpointBatchSize = 10

// EndpointLister is the part of SageMaker that lists a region's
// endpoints.
type EndpointLister interface {
	ListEndpoints(ctx context.Context, in *sagemaker.ListEndpointsInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.ListEndpointsOutput, error)
}

// EndpointJudge re-checks one serving endpoint into the caller's evidence
// run, as the deployment check does on an endpoint event; the sweep
// commits and alerts once per batch. *deployment.Check has it.
type EndpointJudge interface {
	Judge(ctx context.Context, run *evidence.Run, endpointName string) (
		[]findings.Finding, error)
}

// Endpoints are the clients of the endpoint re-check in one target and
// region.
type Endpoints struct {
	Lister EndpointLister
	Judge  EndpointJudge
}

// EndpointWork is a list of SageMaker endpoints to re-check with one
// target's credentials in one region.
type EndpointWork struct {
	Target    Target   `json:"target"`
	Region    string   `json:"region"`
	Endpoints []string `json:"endpoints"`
}

func (w *EndpointWork) validate(bad badFunc) error {
	if w.Target.Account == "" {
		return bad("endpoints.target.account", "missing")
	}
	if w.Region == "" {
		return bad("endpoints.region", "missing")
	}
	for i, name := range w.Endpoints {
		if name == "" {
			return bad(fmt.Sprintf("endpoints.endpoints[%d]", i), "missing")
		}
	}
	return nil
}

// planEndpoints lists the endpoints of every target region, page by page,
// adds the register's endpoints that no listing holds (in the home region,
// where the re-check finds them or reports them gone), and batches them.
func (s *Sweep) planEndpoints(ctx context.Context, p *plan, reg *register.Register) error {
	if s.Endpoints == nil {
		return nil
	}
	listed := map[string]bool{}
	seen := map[string]bool{}
	for _, t := range s.Targets {
		for _, region := range t.Regions {
			if seen[t.key()+"/"+region] {
				continue
			}
			seen[t.key()+"/"+region] = true
			names, err := s.listEndpoints(ctx, p, t, region)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				p.unlisted = append(p.unlisted, unlistedOf("aws", t.Account, err))
			}
			for _, n := range names {
				listed[n] = true
			}
			s.batchEndpoints(p, t, region, names)
		}
	}
	var extra []string
	for _, sys := range reg.Systems {
		for _, n := range sys.SageMaker.Endpoints {
			if !listed[n] {
				extra, listed[n] = append(extra, n), true
			}
		}
	}
	sort.Strings(extra)
	s.batchEndpoints(p, s.Home, s.Home.Regions[0], extra)
	return nil
}

func (s *Sweep) listEndpoints(ctx context.Context, p *plan, t Target, region string) (
	[]string, error) {
	ec, err := s.Endpoints(ctx, t, region)
	if err != nil {
		return nil, fmt.Errorf("connect to SageMaker of %s in %s: %w", t.Account, region, err)
	}
	var names []string
	pages := sagemaker.NewListEndpointsPaginator(ec.Lister, &sagemaker.ListEndpointsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		p.calls.Listing++
		if err != nil {
			return names, fmt.Errorf("list endpoints of %s in %s: %w", t.Account, region, err)
		}
		for _, e := range page.Endpoints {
			names = append(names, aws.ToString(e.EndpointName))
		}
	}
	sort.Strings(names)
	return names, nil
}

func (s *Sweep) batchEndpoints(p *plan, t Target, region string, names []string) {
	p.planned.Endpoints += len(names)
	for start := 0; start < len(names); start += endpointBatchSize {
		end := min(start+endpointBatchSize, len(names))
		p.batches = append(p.batches, Batch{Endpoints: &EndpointWork{Target: t, Region: region,
			Endpoints: names[start:end]}})
	}
}

// endpointBatch re-checks each endpoint of the batch, a bounded number at
// a time, into the batch's run, and puts the findings in res.
func (s *Sweep) endpointBatch(ctx context.Context, w *EndpointWork, run *evidence.Run,
	res *Result) error {
	ec, err := s.Endpoints(ctx, w.Target, w.Region)
	if err != nil {
		return fmt.Errorf("connect to SageMaker of %s in %s: %w", w.Target.Account, w.Region,
			err)
	}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(min(s.concurrency(), 4))
	for _, name := range w.Endpoints {
		g.Go(func() error {
			fs, err := ec.Judge.Judge(gctx, run, name)
			if err != nil {
				return fmt.Errorf("re-check endpoint %s: %w", name, err)
			}
			mu.Lock()
			defer mu.Unlock()
			res.Findings = append(res.Findings, fs...)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	res.Counts.Endpoints = len(w.Endpoints)
	return nil
}
