package sweep

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// judged is one resource's outcome before it becomes a finding.
type judged struct {
	verdict  exposure.Verdict
	system   string
	evidence string
}

// unknownAttempt marks a batch whose delivery count is not known.
const unknownAttempt = 0

// ProcessBatch judges one batch. attempt is how many times it has been
// delivered (unknownAttempt when that is not known): a redelivered batch
// writes its evidence under a run id of its own, since what it reads now
// may differ from what the first attempt wrote before it failed.
func (s *Sweep) ProcessBatch(ctx context.Context, b Batch, attempt int) (*Result, error) {
	runID := b.RunID
	switch {
	case attempt == unknownAttempt:
		runID = b.RunID + "-" + evidence.NewRunID(s.now())
	case attempt > 1:
		runID += "-attempt" + strconv.Itoa(attempt)
	}
	res, err := s.processBatch(ctx, b, runID, nil)
	if err != nil {
		return nil, fmt.Errorf("batch %d of %d (%s): %w", b.Seq, b.Of, b.kind(), err)
	}
	res.finish()
	return res, nil
}

// processBatch collects, keeps and judges the batch's resources, then
// commits their manifest and reports the findings, in that order: an alert
// never points at evidence that is not yet listed.
func (s *Sweep) processBatch(ctx context.Context, b Batch, runID string,
	reg *register.Register) (*Result, error) {
	res := newResult(b.RunID, s.DryRun)
	res.Counts.Batches = 1
	var (
		run *evidence.Run
		out []judged
		err error
	)
	switch {
	case b.AWS != nil:
		run = s.Evidence(b.AWS.Target.Account).NewRun(runID)
		out, err = s.awsBatch(ctx, b.AWS, run, res)
	case b.Azure != nil:
		run = s.Evidence(b.Azure.Subscription).NewRun(runID)
		out, err = s.azureBatch(ctx, b.Azure, run, res)
	case b.Endpoints != nil:
		// Endpoint names repeat across regions, so each region's evidence
		// gets a run id of its own.
		run = s.Evidence(b.Endpoints.Target.Account).NewRun(runID + "-" + b.Endpoints.Region)
		err = s.endpointBatch(ctx, b.Endpoints, run, res)
	case b.AzureML != nil:
		// Each endpoint's evidence has a folder of its own, named by
		// resource group and workspace, in the subscription's chain.
		run = s.Evidence(b.AzureML.Workspace.Subscription).NewRun(runID)
		err = s.azureMLBatch(ctx, b.AzureML, run, res)
	default:
		run = s.Evidence(s.Home.Account).NewRun(runID)
		out, err = s.registerBatch(ctx, b.Register, run, reg, res)
	}
	if err != nil {
		return nil, err
	}
	res.Findings = append(exposureFindings(out, s.now()), res.Findings...)
	if err := s.commitAndReport(ctx, run, res); err != nil {
		return nil, err
	}
	return res, nil
}

// exposureFindings turns verdicts into findings that point at their
// snapshots.
func exposureFindings(out []judged, at time.Time) []findings.Finding {
	fs := make([]findings.Finding, 0, len(out))
	for _, j := range out {
		f := exposure.NewFinding(j.verdict, j.system, at)
		f.Evidence = []string{j.evidence}
		fs = append(fs, f)
	}
	return fs
}

// commitAndReport lists the batch's evidence in one manifest, then alerts.
func (s *Sweep) commitAndReport(ctx context.Context, run *evidence.Run, res *Result) error {
	if len(run.Objects()) > 0 {
		key, err := run.Commit(ctx, s.now())
		if err != nil {
			return fmt.Errorf("commit manifest: %w", err)
		}
		res.Manifests = append(res.Manifests, key)
	}
	sent, err := s.Alerts.Report(ctx, res.RunID, res.Findings)
	res.Alerts = sent
	if err != nil {
		return fmt.Errorf("report findings: %w", err)
	}
	return nil
}

// awsBatch collects and keeps each bucket's snapshot, a bounded number at
// a time, and judges it.
func (s *Sweep) awsBatch(ctx context.Context, w *AWSWork, run *evidence.Run, res *Result) (
	[]judged, error) {
	acct, err := s.Connect(ctx, w.Target, w.Region)
	if err != nil {
		return nil, fmt.Errorf("connect to account %s in %s: %w", w.Target.Account, w.Region, err)
	}
	out := make([]judged, len(w.Buckets))
	calls := make([]struct{ bucket, ap int }, len(w.Buckets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency())
	for i, r := range w.Buckets {
		g.Go(func() error {
			snap, c := acct.Collector.Bucket(gctx, r.Name)
			calls[i].bucket, calls[i].ap = c.Bucket, c.AccessPoints
			uri, err := run.PutJSON(gctx, "s3/"+r.Name+".json", snap)
			if err != nil {
				return err
			}
			out[i] = judged{verdict: exposure.EvaluateS3(snap), system: r.System, evidence: uri}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res.Counts.Buckets = len(w.Buckets)
	res.Counts.Calls.Listing++ // the account's Block Public Access, read once per collector
	for _, c := range calls {
		res.Counts.Calls.Bucket += c.bucket
		res.Counts.Calls.AccessPoints += c.ap
	}
	return out, nil
}

// azureBatch collects every container of the batch's storage accounts,
// a bounded number of accounts at a time.
func (s *Sweep) azureBatch(ctx context.Context, w *AzureWork, run *evidence.Run,
	res *Result) ([]judged, error) {
	arm, err := s.Azure.Accounts(w.Subscription)
	if err != nil {
		return nil, fmt.Errorf("connect to subscription %s: %w", w.Subscription, err)
	}
	perAccount := make([][]judged, len(w.Accounts))
	calls := make([]int, len(w.Accounts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency())
	for i, sa := range w.Accounts {
		g.Go(func() error {
			snaps, n, err := s.azureSnapshots(gctx, arm, sa)
			calls[i] = n
			if err != nil {
				return err
			}
			perAccount[i], err = keepContainers(gctx, run, sa.Systems, snaps)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []judged
	for i, js := range perAccount {
		out = append(out, js...)
		res.Counts.Calls.Azure += calls[i]
	}
	res.Counts.Containers = len(out)
	return out, nil
}

// keepContainers writes each container's snapshot as evidence and judges
// it.
func keepContainers(ctx context.Context, run *evidence.Run, systems map[string]string,
	snaps []exposure.AzureContainer) ([]judged, error) {
	out := make([]judged, 0, len(snaps))
	for _, sn := range snaps {
		name := "azure/" + sn.StorageAccount.Name + "/" + sn.Container.Name + ".json"
		uri, err := run.PutJSON(ctx, name, sn)
		if err != nil {
			return nil, err
		}
		out = append(out, judged{verdict: exposure.EvaluateAzure(sn),
			system: systems[sn.Container.Name], evidence: uri})
	}
	return out, nil
}
