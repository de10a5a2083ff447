package sweep

import (
	"context"
	"fmt"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// registerBatch judges what needs no storage reads: each assessment's
// review date, the accounts whose storage could not be listed, and the
// register's containers that no swept subscription holds. The first two
// go straight into res as findings; the containers come back to be judged
// like any other.
func (s *Sweep) registerBatch(ctx context.Context, w *RegisterWork, run *evidence.Run,
	reg *register.Register, res *Result) ([]judged, error) {
	if reg == nil {
		var err error
		if reg, err = register.Load(ctx, s.Register); err != nil {
			return nil, fmt.Errorf("load register: %w", err)
		}
	}
	out, err := keepUnplaced(ctx, run, w.Unplaced)
	if err != nil {
		return nil, err
	}
	res.Counts.Containers = len(out)
	unlisted, err := keepUnlisted(ctx, run, w.Unlisted, s.now())
	if err != nil {
		return nil, err
	}
	res.Findings = unlisted
	if !w.Assessments {
		return out, nil
	}
	fs, err := s.reviewFindings(ctx, run, reg)
	if err != nil {
		return nil, err
	}
	res.Findings = append(res.Findings, fs...)
	res.Counts.Assessments = len(fs)
	return out, nil
}

func keepUnplaced(ctx context.Context, run *evidence.Run, rs []Resource) ([]judged, error) {
	out := make([]judged, 0, len(rs))
	for _, r := range rs {
		snap := unplacedSnapshot(r.Name)
		name := "azure/" + snap.StorageAccount.Name + "/" + snap.Container.Name + ".json"
		uri, err := run.PutJSON(ctx, name, snap)
		if err != nil {
			return nil, err
		}
		out = append(out, judged{verdict: exposure.EvaluateAzure(snap), system: r.System,
			evidence: uri})
	}
	return out, nil
}
