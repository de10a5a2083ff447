package azureml

import (
	"context"
	"fmt"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// The gate's checks, named as the SageMaker gate names them.
const (
	checkAssessmentPresent  = "impact-assessment.present"
	checkAssessmentApproved = "impact-assessment.approved"
	checkAssessmentCovers   = "impact-assessment.covers-version"
	checkAssessmentCurrent  = "impact-assessment.review-current"
	checkDataPresent        = "evaluation.data-present"
	checkClaimsMatch        = "evaluation.claims-match"
)

// assessmentChecks judges the impact assessment the version names in its
// aims:impact-assessment tag, the only place the gate looks.
func (a *gateAudit) assessmentChecks(ctx context.Context) []findings.Finding {
	id := a.model.tags[TagImpactAssessment]
	observed := map[string]any{TagImpactAssessment: nullIf(id)}
	expected := map[string]any{"assessment": "an id of the register's assessments/"}
	ia := a.reg.Assessments[id]
	switch {
	case id == "":
		return a.withoutAssessment(observed, expected,
			"the model version names no impact assessment in "+TagImpactAssessment)
	case ia == nil:
		return a.withoutAssessment(observed, expected, fmt.Sprintf("the model version names "+
			"assessment %q, which the register does not hold", id))
	}
	doc := a.keep(ctx, ia)
	return []findings.Finding{
		a.finding(checkAssessmentPresent, "", pass(observed, expected, doc)),
		a.finding(checkAssessmentApproved, "", a.approved(ia, doc)),
		a.finding(checkAssessmentCovers, "", a.covers(ia, doc)),
		a.finding(checkAssessmentCurrent, "", a.current(ia, doc)),
	}
}

func (a *gateAudit) withoutAssessment(observed, expected any, reason string) []findings.Finding {
	out := []findings.Finding{a.finding(checkAssessmentPresent, "",
		fail(observed, expected, reason))}
	for _, check := range []string{checkAssessmentApproved, checkAssessmentCovers,
		checkAssessmentCurrent} {
		out = append(out, a.finding(check, "", notApplicable("no assessment to judge")))
	}
	return out
}

func (a *gateAudit) approved(ia *register.Assessment, doc string) verdict {
	observed := map[string]any{"id": ia.ID, "status": ia.Status,
		"approvedBy": nullIf(ia.ApprovedBy)}
	expected := map[string]any{"status": "approved"}
	if ia.Approved() {
		return pass(observed, expected, doc)
	}
	return fail(observed, expected, fmt.Sprintf("assessment %s is %s, not approved", ia.ID,
		ia.Status), doc)
}

func (a *gateAudit) covers(ia *register.Assessment, doc string) verdict {
	ref := a.model.ref
	observed := map[string]any{"id": ia.ID, "system": ia.System, "covers": ia.Covers}
	expected := map[string]any{"system": nullIf(a.systemID()), "azureml": map[string]any{
		"workspace": a.ws.Name, "model": ref.Name, "version": ref.Version}}
	switch {
	case a.system != nil && ia.System != a.system.ID:
		return fail(observed, expected, fmt.Sprintf("assessment %s is for system %q, not %q",
			ia.ID, ia.System, a.system.ID), doc)
	case !coversModel(ia, a.ws, ref.Name, ref.Version):
		return fail(observed, expected, fmt.Sprintf("assessment %s does not cover model %s "+
			"version %s of workspace %s", ia.ID, ref.Name, ref.Version, a.ws.Name), doc)
	}
	return pass(observed, expected, doc)
}

func (a *gateAudit) current(ia *register.Assessment, doc string) verdict {
	interval := reviewInterval(a.system)
	due, ok := ia.ReviewDue(interval)
	observed := map[string]any{"id": ia.ID, "nextReviewDue": nullIf(ia.NextReviewDue),
		"approvedAt": ia.ApprovedAt, "reviewIntervalDays": interval}
	expected := map[string]any{"reviewDue": "on or after " + a.at.Format(time.DateOnly)}
	if !ok {
		return unknown(observed, expected, fmt.Sprintf("assessment %s has neither "+
			"nextReviewDue nor an approval date and review interval", ia.ID), doc)
	}
	observed["reviewDue"] = due.Format(time.DateOnly)
	if register.CurrentAt(due, a.at) {
		return pass(observed, expected, doc)
	}
	return fail(observed, expected, fmt.Sprintf("assessment %s was due for review on %s", ia.ID,
		due.Format(time.DateOnly)), doc)
}
