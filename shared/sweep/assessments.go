package sweep

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// CheckReviewCurrent is the check that an impact assessment is within its
// review date.
const CheckReviewCurrent = "impact-assessment.review-current"

// AssessmentResource names an assessment as the resource of its findings,
// independent of where the register is kept, so ids stay stable.
func AssessmentResource(id string) string { return "aims-register:assessments/" + id }

// reviewFindings judges every assessment's review date, keeping the
// document it read as evidence.
func (s *Sweep) reviewFindings(ctx context.Context, run *evidence.Run,
	reg *register.Register) ([]findings.Finding, error) {
	ids := make([]string, 0, len(reg.Assessments))
	for id := range reg.Assessments {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	systems := map[string]*register.System{}
	for _, sys := range reg.Systems {
		systems[sys.ID] = sys
	}
	at := s.now()
	out := make([]findings.Finding, 0, len(ids))
	for _, id := range ids {
		a := reg.Assessments[id]
		uri, err := run.PutBytes(ctx, "register/assessments/"+id+".json", "application/json",
			reg.Raw[reg.LocationOf(a)])
		if err != nil {
			return nil, err
		}
		f := reviewFinding(a, systems[a.System], at)
		f.Evidence = []string{uri}
		out = append(out, f)
	}
	return out, nil
}

// reviewFinding judges one assessment: only an approved one has a review
// date that counts; one whose date cannot be worked out is indeterminate.
func reviewFinding(a *register.Assessment, sys *register.System, at time.Time) findings.Finding {
	interval := 0
	if sys != nil {
		interval = sys.ImpactAssessment.ReviewIntervalDays
	}
	observed := map[string]any{"id": a.ID, "status": a.Status,
		"nextReviewDue": nullIfEmpty(a.NextReviewDue), "approvedAt": a.ApprovedAt,
		"reviewIntervalDays": interval}
	today := at.Format(time.DateOnly)
	expected := map[string]any{"status": "approved", "reviewDue": "on or after " + today}
	status, reason := findings.Pass, ""
	due, ok := a.ReviewDue(interval)
	switch {
	case !a.Approved():
		status = findings.NotApplicable
		reason = fmt.Sprintf("assessment %s is %s; only an approved one is reviewed on a date",
			a.ID, a.Status)
	case !ok:
		status = findings.Indeterminate
		reason = fmt.Sprintf("assessment %s has neither nextReviewDue nor an approval date "+
			"and review interval", a.ID)
	case !register.CurrentAt(due, at):
		status = findings.Fail
		reason = fmt.Sprintf("assessment %s was due for review on %s", a.ID,
			due.Format(time.DateOnly))
	}
	if ok {
		observed["reviewDue"] = due.Format(time.DateOnly)
	}
	f := findings.New(CheckReviewCurrent, AssessmentResource(a.ID), "", a.System, status, at)
	f.Observed, f.Expected, f.Reason = observed, expected, reason
	return f
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
